import { LabIcon } from '@jupyterlab/ui-components';

const svgstr = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 2 3 6.5v11L12 22l9-4.5v-11L12 2zm0 2.24 6.53 3.26L12 10.76 5.47 7.5 12 4.24zM5 9.12l6 3v7.63l-6-3V9.12zm8 10.63v-7.63l6-3v7.63l-6 3z"/>
    <path d="M15.2 14.4 17.6 13.2v1.6l-2.4 1.2zM15.2 11.8l2.4-1.2v1.6l-2.4 1.2z"/>
  </g>
</svg>`;

/**
 * The JumpStart icon (a model package), themed through `jp-icon3`.
 */
export const jumpstartIcon = new LabIcon({
  name: 'jumpstart-lab:jumpstart',
  svgstr
});

/**
 * Restart: a circular arrow with its arrowhead on top (Material "restart_alt"),
 * distinct from JupyterLab's refresh icon, which the Refresh button uses.
 */
export const restartIcon = new LabIcon({
  name: 'jumpstart-lab:restart',
  svgstr: `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 5V2L8 6l4 4V7c3.31 0 6 2.69 6 6 0 2.97-2.17 5.43-5 5.91v2.02c3.95-.49 7-3.85 7-7.93 0-4.42-3.58-8-8-8zm-6 8c0-1.65.67-3.15 1.76-4.24L6.34 7.34A7.95 7.95 0 0 0 4 13c0 4.08 3.05 7.44 7 7.93v-2.02c-2.83-.48-5-2.94-5-5.91z"/>
  </g>
</svg>`
});
