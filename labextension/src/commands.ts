import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { TranslationBundle } from '@jupyterlab/translation';

import { openModelCode } from './bootstrap';
import { clientId } from './clientid';
import { jumpstartIcon } from './icon';
import { checkModelRef, IModelRef, promptModelRef } from './openmodel';
import { JumpStartSidebar, SIDEBAR_ID } from './sidebar';

export namespace CommandIDs {
  export const open = 'jumpstart-lab:open';
  export const browse = 'jumpstart-lab:browse';
  export const openModel = 'jumpstart-lab:open-model';
  export const refresh = 'jumpstart-lab:refresh';
  export const restart = 'jumpstart-lab:restart';
}

const NO_ARGS = { args: { type: 'object', properties: {} } };

export interface ICommandOptions {
  app: JupyterFrontEnd;
  sidebar: JumpStartSidebar;
  trans: TranslationBundle;
  palette: ICommandPalette | null;
  launcher: ILauncher | null;
  /**
   * The launcher's own category name for "Other" (JupyterLab's translation).
   */
  otherCategory: string;
}

/**
 * The sidebar's commands, their palette entries and the launcher card.
 */
export function addCommands(options: ICommandOptions): void {
  const { app, sidebar, trans } = options;
  const { commands } = app;
  const show = () => app.shell.activateById(SIDEBAR_ID);

  commands.addCommand(CommandIDs.open, {
    label: trans.__('JumpStart: Open hub browser'),
    caption: trans.__('Show the JumpStart hub browser in the left sidebar'),
    describedBy: NO_ARGS,
    icon: args => (args.isPalette ? undefined : jumpstartIcon),
    execute: show
  });
  commands.addCommand(CommandIDs.browse, {
    label: args =>
      args.isLauncher
        ? trans.__('JumpStart models')
        : trans.__('JumpStart: Browse models'),
    caption: trans.__('Browse the models of your SageMaker JumpStart hubs'),
    describedBy: NO_ARGS,
    icon: args => (args.isPalette ? undefined : jumpstartIcon),
    execute: show
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
            description: trans.__('Hub name or ARN; prompted for when missing')
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
      show();
      try {
        await sidebar.execute(openModelCode(clientId(), ref.hub, ref.modelId));
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
    describedBy: NO_ARGS,
    execute: () => sidebar.refresh()
  });
  commands.addCommand(CommandIDs.restart, {
    label: trans.__('JumpStart: Restart hub browser kernel…'),
    describedBy: NO_ARGS,
    execute: () => sidebar.restart()
  });

  if (options.palette) {
    const category = trans.__('JumpStart');
    for (const command of Object.values(CommandIDs)) {
      options.palette.addItem({ command, category });
    }
  }
  options.launcher?.add({
    command: CommandIDs.browse,
    args: { isLauncher: true },
    category: options.otherCategory,
    rank: 50
  });
}
