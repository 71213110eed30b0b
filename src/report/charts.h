// The report's charts as ECharts options (the same kinds and colours as the dashboard's): data for
// the ECharts library inlined in the page, never drawing code of our own. Animation is off so a
// headless browser prints them complete.
#pragma once

#include <nlohmann/json.hpp>

namespace yuqing::report {

// {"trend", "sentiment", "sources", "provinces"[, "volume" for a review]}: chart id -> option.
// Chart ids match the elements of the built-in templates (<div class="chart" data-chart="trend">).
nlohmann::json ChartOptions(const nlohmann::json& data, bool zh);

}  // namespace yuqing::report
