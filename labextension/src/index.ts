import { IJupyterWidgetRegistry } from '@jupyter-widgets/base';
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

// The panel, its session and commands must exist at start (they are added to the
// shell); what they load later (widget manager, controls) comes from
// jupyterlab_widgets' shared modules.
/* eslint-disable jupyter/prefer-lazy-imports */
import { DeploymentsBadge } from './badge';
import { DEFAULT_SETTINGS, ISidebarSettings } from './bootstrap';
import { LabBridgeModel, MODULE_NAME, MODULE_VERSION } from './bridge';
import { claimClientId } from './clientid';
import { addCommands } from './commands';
import { SidebarSession } from './session';
import { JumpStartSidebar, SIDEBAR_ID } from './sidebar';
import { addViewCommand, ViewWidget } from './views';
import { KernelWidgets } from './widgets';
/* eslint-enable jupyter/prefer-lazy-imports */

const PLUGIN_ID = 'jumpstart-lab:plugin';

function readSettings(settings: ISettingRegistry.ISettings): ISidebarSettings {
  const kernelName = settings.get('kernelName').composite;
  const notebookDir = settings.get('notebookDir').composite;
  const preload = settings.get('preloadKernel').composite;
  return {
    kernelName:
      typeof kernelName === 'string' && kernelName.trim()
        ? kernelName.trim()
        : DEFAULT_SETTINGS.kernelName,
    notebookDir: typeof notebookDir === 'string' ? notebookDir.trim() : '',
    preloadKernel:
      typeof preload === 'boolean' ? preload : DEFAULT_SETTINGS.preloadKernel
  };
}

/**
 * The JumpStart sidebar, its main-area views and commands, and the LabBridge widget module.
 */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'SageMaker JumpStart hubs in a left-sidebar panel and main-area pages (ipywidgets run in a kernel).',
  autoStart: true,
  requires: [IRenderMimeRegistry],
  optional: [
    ILayoutRestorer,
    ISettingRegistry,
    ICommandPalette,
    IJupyterWidgetRegistry,
    ITranslator,
    ILabShell,
    ILauncher
  ],
  activate: (
    app: JupyterFrontEnd,
    rendermime: IRenderMimeRegistry,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    widgetRegistry: IJupyterWidgetRegistry | null,
    translator: ITranslator | null,
    labShell: ILabShell | null,
    launcher: ILauncher | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jumpstart_lab');
    // Main-area pages need JupyterLab's dock panel (Notebook 7 shows one document per page).
    const mainArea = labShell !== null;
    void claimClientId(); // a duplicated browser tab takes a new id before the panel starts

    let current: ISidebarSettings = { ...DEFAULT_SETTINGS };
    let tracker: {
      find(fn: (w: ViewWidget) => boolean): ViewWidget | undefined;
    } | null = null;
    const widgets = new KernelWidgets(rendermime);
    const session: SidebarSession = new SidebarSession({
      app,
      kernelName: () => current.kernelName,
      trans,
      isWatched: (): boolean =>
        sidebar.isVisible || !!tracker?.find(w => w.isVisible)
    });
    const sidebar: JumpStartSidebar = new JumpStartSidebar({
      session,
      widgets,
      settings: () => current,
      trans,
      translator: translator ?? undefined,
      locale: translator?.languageCode ?? '',
      mainArea
    });
    app.shell.add(sidebar, 'left', { rank: 850, type: 'JumpStart' });
    restorer?.add(sidebar, SIDEBAR_ID);
    // The number of running endpoints on the JumpStart icon.
    const badge = new DeploymentsBadge({
      title: sidebar.title,
      trans,
      serverSettings: app.serviceManager.serverSettings
    });

    LabBridgeModel.host = {
      app,
      trans,
      mainArea,
      isSidebarManager: manager => widgets.owns(manager),
      onNav: (bridge, nav) => sidebar.navigation.update(bridge, nav),
      deploymentsChanged: () => void badge.refresh()
    };
    // Notebooks and consoles: HubBrowser() there can open files and dialogs too.
    widgetRegistry?.registerWidget({
      name: MODULE_NAME,
      version: MODULE_VERSION,
      exports: { LabBridgeModel }
    });

    if (mainArea) {
      tracker = addViewCommand(app, sidebar, trans, restorer);
    }
    addCommands({
      app,
      sidebar,
      trans,
      palette,
      launcher,
      otherCategory: (translator ?? nullTranslator)
        .load('jupyterlab')
        .__('Other')
    });

    const loaded = settingRegistry
      ? settingRegistry
          .load(PLUGIN_ID)
          .then(settings => {
            current = readSettings(settings);
            settings.changed.connect(() => {
              const previous = current;
              current = readSettings(settings);
              if (
                session.kernel &&
                previous.kernelName !== current.kernelName
              ) {
                void session
                  .changeKernel(current.kernelName)
                  .catch(reason =>
                    showErrorMessage(trans.__('JumpStart'), reason)
                  );
              } else if (
                session.kernel &&
                previous.notebookDir !== current.notebookDir
              ) {
                void sidebar.refresh();
              }
            });
          })
          .catch(reason => {
            console.error('jumpstart-lab: could not load settings', reason);
          })
      : Promise.resolve();

    // Preload: start the kernel and the hub browser in the background once the
    // page is restored, so the first click on the JumpStart icon shows the hubs
    // at once. JupyterLab only: Notebook 7 loads a new page per document.
    if (mainArea) {
      void Promise.all([app.restored, loaded]).then(() => {
        if (current.preloadKernel && session.state.phase === 'idle') {
          void sidebar.start();
        }
      });
    }
  }
};

export default plugin;
