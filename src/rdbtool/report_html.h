// The HTML report of an RDB dump batch: one self-contained page (inline CSS, JavaScript and
// SVG; nothing fetched from anywhere, so it opens offline and can be mailed or archived as one
// file) that a fleet operator reads in a browser.
//
// The page embeds the ReportData as JSON in a <script type="application/json"> block (ReportData's
// content under snake_case names, plus "format_version": 1, so a script can read a report too) and
// builds its tables and charts from it in JavaScript (report_assets/, embedded at build time):
// sortable tables with a CSV download each, a zoomable flame graph (icicle) of the key prefixes,
// the slot skew of Redis Cluster and Codis, and an expiry histogram. Only the <title> is written
// here as HTML.
//
// Every string that comes from the data (keys above all: arbitrary bytes) passes through
// DisplayText before it reaches the page, and the JSON escapes '<', '>' and '&', so no data can
// end the <script> block or be read as markup.
#pragma once

#include <string>
#include <string_view>

#include "rdbtool/report_data.h"

namespace strata::rdbtool {

// The whole page. Never fails: any bytes in `data` render, escaped.
std::string RenderReportHtml(const ReportData& data);

// Arbitrary bytes as text a person can read and copy: well-formed UTF-8 of visible characters
// stays as it is; every other byte becomes \xNN (two lower-case hex digits). "Every other byte"
// is: bytes that are not part of well-formed UTF-8 (stray continuation bytes, overlong forms,
// surrogates, cut sequences), control characters (C0, DEL, C1), the line and paragraph
// separators U+2028/U+2029, invisible and bidirectional formatting characters (which could make
// a key look like another), and the backslash itself. So the result is valid UTF-8, and reading
// each \xNN as one byte gives back exactly the input.
std::string DisplayText(std::string_view bytes);

}  // namespace strata::rdbtool
