// The report page's assets (see report_html.h), kept as files in report_assets/ and embedded
// at build time by cmake/EmbedAssets.cmake (the CMakeLists of this module names them):
//   style.css      the style sheet;
//   lib.js         script part 1: formatting, DOM building, sortable tables, the tooltip;
//   prefixes.js    script part 2: the key-prefix tree;
//   page.js        script part 3: the page itself, built from the JSON data block.
// The script parts are pasted in this order into one function scope, so each may use what an
// earlier one defines.
#pragma once

#include <string_view>

namespace strata::rdbtool {

extern const std::string_view kReportStyle;
extern const std::string_view kReportScriptLib;
extern const std::string_view kReportScriptPrefixes;
extern const std::string_view kReportScriptPage;

// The assets are pasted into <style> and <script> elements as they are: nothing in them may
// end the element ("</") or switch the HTML parser's script states ("<!--"). The build checks
// every asset with it.
constexpr bool PastesSafely(std::string_view text) {
  return text.find("</") == std::string_view::npos && text.find("<!--") == std::string_view::npos;
}

}  // namespace strata::rdbtool
