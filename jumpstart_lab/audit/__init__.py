"""The organisation's audit of EULA acceptances: a JupyterHub service (``jumpstart-lab audit-service``).

It reads the team's shared database (``--db-url`` or ``JUMPSTART_LAB_DB_URL``) and answers only hub users
holding the ``custom:jumpstart-lab:audit`` scope. :mod:`.query` is plain Python; :mod:`.service` is the
tornado application behind the hub's proxy.
"""
