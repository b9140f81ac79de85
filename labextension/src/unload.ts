import { JupyterFrontEnd } from '@jupyterlab/application';
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection, Session } from '@jupyterlab/services';

/**
 * The page unloads: shut the sidebar session down (kernel included), unless
 * another browser tab is connected to its kernel. The request outlives the
 * page (`keepalive`).
 */
export function endWithPage(
  app: JupyterFrontEnd,
  session: Session.ISessionConnection
): void {
  const { kernels, serverSettings } = app.serviceManager;
  const kernelId = session.kernel?.id;
  for (const model of kernels.running()) {
    if (model.id === kernelId && (model.connections ?? 0) > 1) {
      return;
    }
  }
  const url = URLExt.join(serverSettings.baseUrl, 'api/sessions', session.id);
  void ServerConnection.makeRequest(
    url,
    { method: 'DELETE', keepalive: true },
    serverSettings
  ).catch(() => undefined);
}
