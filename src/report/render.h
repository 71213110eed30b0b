// Lays a report's data (report.h) out as one self-contained HTML page through a mustache template
// (Debian's libmstch). Templates are data: the built-in ones (src/report/templates, compiled in)
// are the defaults, and a user's copy replaces them (`yuqing report ... --template FILE`). Every
// value from the store is HTML-escaped by the template engine ({{x}}); only the page's own pieces
// (the chart options as JSON with "<" escaped, the ECharts library) are inserted raw.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace yuqing::report {

struct RenderOptions {
  std::string lang = "zh";       // zh | en: the built-in template and the words the view adds
  std::string template_text;     // "" = the built-in template for lang
  std::string echarts_js;        // the minified ECharts library, inlined; "" = charts left out (with a note)
  std::string china_map_json;    // the province map (GeoJSON) for 地域分布; "" = bars only
};

// The built-in template for lang ("zh" or "en"; anything else: zh).
std::string_view BuiltinTemplate(std::string_view lang);

// What the template sees: the report's data plus the words and figures made readable in lang
// (level names, sentiment names, shares as percentages, the summary's change, the proposals'
// sentences) and "charts_json" (ECharts options by chart id). Exposed for tests and for users
// writing their own template (`report ... --format view` prints it).
nlohmann::json ViewModel(const nlohmann::json& data, std::string_view lang);

// Renders the page. kInvalid when the template does not parse (the message names the problem).
Result<std::string> RenderHtml(const nlohmann::json& data, const RenderOptions& options);

// The minified ECharts shipped with the dashboard: $YUQING_ECHARTS (a file), else
// <binary dir>/../web/node_modules/echarts/dist/echarts.min.js, else the source tree's. "" when
// none is there.
std::string FindEcharts();

// The China province map that the dashboard's wall uses (Apache ECharts 4.9's china.json, installed
// from npm as echarts-china-map): $YUQING_CHINA_MAP, beside the binary, or web/node_modules. "" if absent.
std::string FindChinaMap();

// The chart assets a rendered report inlines: ECharts and, with it, the province map.
void FindChartAssets(RenderOptions& render);

// Reads a whole file; kInvalid naming the path when it cannot be read (a user's template).
Result<std::string> ReadTextFile(const std::string& path, size_t max_bytes = 4 << 20);

}  // namespace yuqing::report
