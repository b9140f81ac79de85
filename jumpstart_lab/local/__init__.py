"""The embedded local AWS-compatible service (demo default and test backend).

``python -m jumpstart_lab.local`` / ``jumpstart-lab local [--port N]`` runs it on 127.0.0.1:

- ``hub_layer.py``: our WSGI layer (no moto import) answering the 15 SageMaker hub operations
  (``hub_api.py`` over ``store.py``, validated by ``constraints.py`` from botocore's model), RAM shares
  (``ram.py``), InvokeEndpoint / endpoint lifecycle / CreateModel EULA check (``runtime.py``), the
  gap-fillers of ``fidelity.py``, fault injection and the call log (``faults.py``) and ``/_emu/`` admin paths;
- ``moto_backend.py``: moto 5.2.5's ``DomainDispatcherApplication`` behind it for everything else;
- ``catalog.py`` + ``seed.py``: the demo catalog (data in ``data/``), hubs, S3 objects and the execution role;
- ``settings.py``: the ``JUMPSTART_LAB_LOCAL_*`` knobs; ``server.py``: the werkzeug server;
- ``process.py``: :class:`LocalServiceProcess` (subprocess, log file); ``sdk.py``: ``use_local_service()``.
"""
