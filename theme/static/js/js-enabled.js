/* Tells the stylesheet that JavaScript runs, before the page is first drawn:
 * html.app-no-js becomes html.app-js, which shows the enhancements
 * (.app-js-only) and hides what stands in for them. Loaded, not inline, so
 * that the Content Security Policy can refuse every inline script. */
document.documentElement.className = document.documentElement.className.replace("app-no-js", "app-js");
