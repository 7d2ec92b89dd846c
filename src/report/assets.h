/*
 * assets.h - files the HTML report writes into every page, as byte
 * arrays generated at build time by src/report/embed.c: the vendored
 * uPlot (src/report/vendor/) and the page's own script and style
 * (src/report/html.js, html.css).  Each array ends in a NUL not counted
 * in its _len.
 */
#ifndef PGREPLAY_REPORT_ASSETS_H
#define PGREPLAY_REPORT_ASSETS_H

#include <stddef.h>

extern const unsigned char report_vendor_uplot_js[];
extern const size_t report_vendor_uplot_js_len;
extern const unsigned char report_vendor_uplot_css[];
extern const size_t report_vendor_uplot_css_len;
extern const unsigned char report_html_js[];
extern const size_t report_html_js_len;
extern const unsigned char report_html_css[];
extern const size_t report_html_css_len;

#endif
