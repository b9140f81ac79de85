"""The panel's CSS, shipped as a ``<style>`` element: only JupyterLab theme variables (light and dark themes),
JupyterLab's density (ipywidgets' 28 px line height undone for texts and lists)."""

CSS = """<style>
.jsl-browser { box-sizing: border-box; min-width: 0; color: var(--jp-ui-font-color1);
  font-size: var(--jp-ui-font-size1); }
.jsl-browser .widget-html, .jsl-browser .widget-html-content, .jsl-browser .widget-label {
  line-height: 1.4; height: auto; }
.jsl-browser .widget-html-content { white-space: normal; overflow-wrap: anywhere; }
.jsl-browser .jupyter-widgets:not(.widget-button) { margin-left: 0; margin-right: 0; max-width: 100%; }
.jsl-browser a { color: var(--jp-content-link-color); text-decoration: underline; }
.jsl-browser h2, .jsl-browser h3, .jsl-browser h4 { color: var(--jp-ui-font-color0); margin: 4px 0; }
.jsl-browser .jsl-title { font-size: var(--jp-ui-font-size2); }
.jsl-browser .jsl-page-title { font-size: var(--jp-content-font-size4, 1.4em); }
.jsl-browser .jsl-desc, .jsl-browser .jsl-count { color: var(--jp-ui-font-color1); font-size: var(--jp-ui-font-size0); }
.jsl-toolbar { gap: 2px; border-bottom: var(--jp-border-width) solid var(--jp-border-color2); padding-bottom: 2px; }
.jsl-browser .jsl-icon-button { min-width: 28px; width: 28px; padding: 0; background: transparent;
  color: var(--jp-ui-font-color1); box-shadow: none; }
.jsl-browser .jsl-icon-button:hover { background: var(--jp-layout-color2); }
.jsl-browser .jsl-selected { background: var(--jp-layout-color3); border-bottom: 2px solid var(--jp-brand-color1); }
.jsl-error { background: var(--jp-layout-color2); border-left: 3px solid var(--jp-error-color1);
  color: var(--jp-ui-font-color1); padding: 2px 6px; margin: 2px 0; }
.jsl-info { background: var(--jp-layout-color2); border-left: 3px solid var(--jp-info-color1);
  color: var(--jp-ui-font-color1); padding: 0 0 0 6px; margin: 2px 0; }
.jsl-info .widget-html, .jsl-info .widget-html-content { min-width: 0; overflow: hidden; }
.jsl-info .jsl-info-text { display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  font-size: var(--jp-ui-font-size0); }
.jsl-browser .jsl-hub-card { text-align: left; justify-content: flex-start; white-space: pre-line;
  line-height: 1.4; padding: 6px 8px; margin: 3px 0; height: auto; background: var(--jp-layout-color1);
  color: var(--jp-ui-font-color1); border: var(--jp-border-width) solid var(--jp-border-color1); border-radius: 4px; }
.jsl-browser .jsl-hub-card:hover { background: var(--jp-layout-color2); }
.jsl-browser .jsl-hub-card::first-line { font-weight: 600; color: var(--jp-ui-font-color0); }
.jsl-card { border: var(--jp-border-width) solid var(--jp-border-color2); border-radius: 4px; padding: 4px 8px;
  margin: 3px 0; box-sizing: border-box; }
.jsl-unavailable { color: var(--jp-ui-font-color2); }
.jsl-unavailable .jsl-desc { color: var(--jp-ui-font-color1); }
.jsl-badge { font-size: var(--jp-ui-font-size0); border-radius: 3px; padding: 0 4px; white-space: nowrap;
  color: var(--jp-ui-font-color1); background: var(--jp-layout-color1);
  border: 1px solid var(--jp-border-color1); }
.jsl-gated { border-color: var(--jp-warn-color1); }
.jsl-proprietary { border-color: var(--jp-brand-color1); }
.jsl-trainable { border-color: var(--jp-success-color1); }
.jsl-accepted { border-color: var(--jp-success-color1); }
.jsl-warn { color: var(--jp-ui-font-color1); border-left: 3px solid var(--jp-warn-color1); padding-left: 4px; }
.jsl-browser .jsl-search input { height: 26px; }
.jsl-filter-grid { gap: 4px; padding: 4px 0; }
.jsl-browser .jsl-filter { width: auto; flex-direction: column; align-items: stretch; height: auto; }
.jsl-browser .jsl-filter .widget-label { max-width: none; text-align: left; font-size: var(--jp-ui-font-size0); }
.jsl-browser .jsl-filter select { width: 100%; min-width: 0; flex: 0 0 auto;
  height: var(--jp-widgets-inline-height, 28px); }  /* (a column flex box would stretch it: flex-basis is its height) */
.jsl-model-list { gap: 0; }
.jsl-model-row { border-bottom: var(--jp-border-width) solid var(--jp-border-color2); min-height: 36px; gap: 4px; }
.jsl-browser .jsl-model-button { text-align: left; justify-content: flex-start; white-space: pre;
  overflow: hidden; text-overflow: ellipsis; line-height: 1.3; padding: 3px 4px; margin: 0; height: auto;
  background: transparent; color: var(--jp-ui-font-color1); box-shadow: none; font-size: var(--jp-ui-font-size0); }
.jsl-browser .jsl-model-button::first-line { font-size: var(--jp-ui-font-size1); font-weight: 600;
  color: var(--jp-ui-font-color0); }
.jsl-browser .jsl-model-button:hover { background: var(--jp-layout-color2); }
.jsl-badges { display: flex; gap: 2px; flex-wrap: wrap; justify-content: flex-end; max-width: 45%; }
.jsl-browser .jsl-backdrop { background: var(--jp-dialog-background, rgba(0, 0, 0, 0.25)); z-index: 10;
  padding: 8px; box-sizing: border-box; align-self: stretch; justify-self: stretch; overflow: visible; }
.jsl-browser .jsl-dialog { position: sticky; top: 8px; overflow: visible; }
.jsl-dialog { background: var(--jp-layout-color1); border: var(--jp-border-width) solid var(--jp-border-color1);
  border-radius: 4px; box-shadow: var(--jp-elevation-z4); padding: 8px; box-sizing: border-box; }
.jsl-eula-text { max-height: 40vh; overflow: auto; white-space: pre-wrap; color: var(--jp-ui-font-color1);
  border: var(--jp-border-width) solid var(--jp-border-color2); padding: 4px; font-size: var(--jp-ui-font-size0);
  background: var(--jp-layout-color0); }
.jsl-eula-text:focus { outline: 1px solid var(--jp-brand-color1); }
.jsl-response, .jsl-generated { max-height: 240px; overflow: auto; white-space: pre-wrap;
  background: var(--jp-layout-color0); border: var(--jp-border-width) solid var(--jp-border-color2); padding: 4px; }
.jsl-section { margin: 6px 0; }
.jsl-section h4 { font-size: var(--jp-ui-font-size1); }
.jsl-markdown { border-top: var(--jp-border-width) solid var(--jp-border-color2); padding-top: 4px; }
.jsl-markdown img { max-width: 100%; }
.jsl-img-alt { color: var(--jp-ui-font-color2); font-style: italic; }
.jsl-table { overflow-x: auto; } .jsl-table table { border-collapse: collapse; font-size: var(--jp-ui-font-size0); }
.jsl-table td, .jsl-table th { padding: 1px 6px; text-align: left;
  border-bottom: var(--jp-border-width) solid var(--jp-border-color2); }
.jsl-main { padding: 8px 16px; max-width: 1100px; }
.jsl-main .jsl-actions { gap: 4px; padding: 4px 0 8px;
  border-bottom: var(--jp-border-width) solid var(--jp-border-color2); }
</style>"""
