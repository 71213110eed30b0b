// Internal: the report route (/api/v1/reports/{kind}); see report_handlers.cc.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "server/routes.h"

namespace yuqing::server {

// Appends the report routes to the route table (called once by routes.cc).
void AppendReportRoutes(std::vector<Route>& routes);

// The OpenAPI schema of a report's data (format=json): components.schemas.Report.
nlohmann::json ReportSchema();
// The 200 response's content of the report route: HTML, PDF, DOCX or the JSON data.
nlohmann::json ReportContent();
// The 200 response's content of the export route: CSV or XLSX.
nlohmann::json ExportContent();

}  // namespace yuqing::server
