"""The panel's CSS, shipped as a ``<style>`` element (core ipywidgets only; JupyterLab theme variables)."""

CSS = """<style>
.jsl-browser { box-sizing: border-box; min-width: 0; }
.jsl-browser .jsl-title { margin: 4px 0; font-size: var(--jp-content-font-size2, 1.1em); }
.jsl-browser .jsl-desc { color: var(--jp-ui-font-color2, #555); font-size: 90%; white-space: normal; }
.jsl-browser .widget-html-content { white-space: normal; word-break: break-word; }
.jsl-browser a { color: var(--jp-content-link-color, #1976d2); text-decoration: underline; }
.jsl-browser .jupyter-widgets:not(.widget-button) { margin-left: 0; margin-right: 0; max-width: 100%; }
.jsl-browser .widget-dropdown, .jsl-browser .widget-text { padding-right: 2px; box-sizing: border-box; }
.jsl-error { background: var(--jp-error-color3, #fde7e9); border-left: 3px solid var(--jp-error-color1, #d32f2f);
  padding: 2px 6px; margin: 2px 0; }
.jsl-info { background: var(--jp-info-color3, #e3f2fd); border-left: 3px solid var(--jp-info-color1, #1976d2);
  padding: 2px 6px; margin: 2px 0; }
.jsl-card { border: 1px solid var(--jp-border-color2, #ddd); border-radius: 4px; padding: 4px 8px; margin: 4px 0;
  box-sizing: border-box; }
.jsl-unavailable { opacity: 0.55; }
.jsl-badge { font-size: 85%; border-radius: 3px; padding: 0 4px; background: var(--jp-layout-color2, #eee);
  white-space: nowrap; }
.jsl-gated { background: var(--jp-warn-color3, #fff3e0); }
.jsl-proprietary { background: var(--jp-brand-color3, #e8eaf6); }
.jsl-warn { color: var(--jp-warn-color0, #b45309); }
.jsl-model-row { border-bottom: 1px solid var(--jp-border-color3, #eee); padding: 2px 0; }
.jsl-model-button { text-align: left; justify-content: flex-start; }
.jsl-browser .jsl-backdrop { background: rgba(0, 0, 0, 0.25); z-index: 10; padding: 8px; box-sizing: border-box;
  align-self: stretch; justify-self: stretch; overflow: visible; }
.jsl-browser .jsl-dialog { position: sticky; top: 8px; overflow: visible; }
.jsl-dialog { background: var(--jp-layout-color1, #fff); border: 1px solid var(--jp-border-color1, #bbb);
  border-radius: 4px; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.3); padding: 8px; box-sizing: border-box; }
.jsl-eula-text { max-height: 240px; overflow: auto; white-space: pre-wrap;
  border: 1px solid var(--jp-border-color2, #ddd); padding: 4px; font-size: 90%;
  background: var(--jp-layout-color0, #fff); }
.jsl-response { max-height: 200px; overflow: auto; white-space: pre-wrap; }
.jsl-table { overflow-x: auto; } .jsl-table table { border-collapse: collapse; font-size: 90%; }
.jsl-table td, .jsl-table th { padding: 1px 6px; text-align: left; }
</style>"""
