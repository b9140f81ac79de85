import { IJupyterWidgetRegistry } from '@jupyter-widgets/base';
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { LabBridgeModel, MODULE_NAME, MODULE_VERSION } from './bridge';
import { claimClientId, clientId } from './clientid';
import { checkModelRef, IModelRef, promptModelRef } from './openmodel';
// The panel must exist at start (it is added to the shell); what it loads
// later (widget manager, controls) comes from jupyterlab_widgets' shared modules.
// eslint-disable-next-line jupyter/prefer-lazy-imports
import {
  ISidebarSettings,
  JumpStartSidebar,
  openModelCode,
  SIDEBAR_ID
} from './sidebar';

const PLUGIN_ID = 'jumpstart-lab:plugin';

export namespace CommandIDs {
  export const open = 'jumpstart-lab:open';
  export const openModel = 'jumpstart-lab:open-model';
  export const refresh = 'jumpstart-lab:refresh';
  export const restart = 'jumpstart-lab:restart';
}

const DEFAULT_SETTINGS: ISidebarSettings = {
  kernelName: 'python3',
  notebookDir: ''
};

function readSettings(settings: ISettingRegistry.ISettings): ISidebarSettings {
  const kernelName = settings.get('kernelName').composite;
  const notebookDir = settings.get('notebookDir').composite;
  return {
    kernelName:
      typeof kernelName === 'string' && kernelName.trim()
        ? kernelName.trim()
        : DEFAULT_SETTINGS.kernelName,
    notebookDir: typeof notebookDir === 'string' ? notebookDir.trim() : ''
  };
}

/**
 * The JumpStart sidebar, its commands, and the LabBridge widget module.
 */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'SageMaker JumpStart hubs in a left-sidebar panel (ipywidgets hub browser run in a kernel).',
  autoStart: true,
  requires: [IRenderMimeRegistry],
  optional: [
    ILayoutRestorer,
    ISettingRegistry,
    ICommandPalette,
    IJupyterWidgetRegistry,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    rendermime: IRenderMimeRegistry,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    widgetRegistry: IJupyterWidgetRegistry | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jumpstart_lab');
    LabBridgeModel.app = app;
    void claimClientId(); // a duplicated browser tab takes a new id before the panel starts

    // Notebooks and consoles: HubBrowser() there can open files too.
    widgetRegistry?.registerWidget({
      name: MODULE_NAME,
      version: MODULE_VERSION,
      exports: { LabBridgeModel }
    });

    let current: ISidebarSettings = { ...DEFAULT_SETTINGS };
    const sidebar = new JumpStartSidebar({
      app,
      rendermime,
      settings: () => current,
      trans,
      translator: translator ?? undefined,
      locale: translator?.languageCode ?? ''
    });
    app.shell.add(sidebar, 'left', { rank: 850, type: 'JumpStart' });
    restorer?.add(sidebar, SIDEBAR_ID);

    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then(settings => {
          current = readSettings(settings);
          settings.changed.connect(() => {
            const previous = current;
            current = readSettings(settings);
            const kernel = sidebar.sessionContext?.session?.kernel;
            if (kernel && previous.kernelName !== current.kernelName) {
              void sidebar.sessionContext
                ?.changeKernel({ name: current.kernelName })
                .catch(reason =>
                  showErrorMessage(trans.__('JumpStart'), reason)
                );
            } else if (kernel && previous.notebookDir !== current.notebookDir) {
              void sidebar.refresh();
            }
          });
        })
        .catch(reason => {
          console.error('jumpstart-lab: could not load settings', reason);
        });
    }

    const { commands } = app;
    commands.addCommand(CommandIDs.open, {
      label: trans.__('JumpStart: Open hub browser'),
      caption: trans.__('Show the JumpStart hub browser in the left sidebar'),
      describedBy: { args: { type: 'object', properties: {} } },
      icon: args => (args.isPalette ? undefined : sidebar.title.icon),
      execute: () => {
        app.shell.activateById(SIDEBAR_ID);
      }
    });
    commands.addCommand(CommandIDs.openModel, {
      label: trans.__('JumpStart: Open model...'),
      caption: trans.__('Open one model of a hub in the JumpStart hub browser'),
      describedBy: {
        args: {
          type: 'object',
          properties: {
            hub: {
              type: 'string',
              description: trans.__(
                'Hub name or ARN; prompted for when missing'
              )
            },
            modelId: {
              type: 'string',
              description: trans.__('Model id; prompted for when missing')
            }
          }
        }
      },
      execute: async args => {
        const given: Partial<IModelRef> = {
          hub: typeof args.hub === 'string' ? args.hub : undefined,
          modelId: typeof args.modelId === 'string' ? args.modelId : undefined
        };
        const ref =
          given.hub && given.modelId
            ? (given as IModelRef)
            : await promptModelRef(trans, given);
        if (!ref) {
          return;
        }
        const problem = checkModelRef(ref, trans);
        if (problem) {
          await showErrorMessage(trans.__('JumpStart: Open model'), problem);
          return;
        }
        app.shell.activateById(SIDEBAR_ID);
        try {
          await sidebar.execute(
            openModelCode(clientId(), ref.hub, ref.modelId)
          );
        } catch (reason) {
          await showErrorMessage(
            trans.__('JumpStart: Open model'),
            (reason as Error)?.message ?? String(reason)
          );
        }
      }
    });
    commands.addCommand(CommandIDs.refresh, {
      label: trans.__('JumpStart: Refresh hub browser'),
      describedBy: { args: { type: 'object', properties: {} } },
      execute: () => sidebar.refresh()
    });
    commands.addCommand(CommandIDs.restart, {
      label: trans.__('JumpStart: Restart hub browser kernel'),
      describedBy: { args: { type: 'object', properties: {} } },
      execute: () => sidebar.restart()
    });

    if (palette) {
      const category = trans.__('JumpStart');
      for (const command of Object.values(CommandIDs)) {
        palette.addItem({ command, category });
      }
    }
  }
};

export default plugin;
