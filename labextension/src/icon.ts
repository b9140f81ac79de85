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
