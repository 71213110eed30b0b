// A report written in the format the user asked for: its data as JSON, the HTML page, or that page
// printed to PDF (Chromium) or converted to DOCX (pandoc, with the charts as PNG images).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "report/render.h"

namespace yuqing::report {

enum class Format { kJson, kHtml, kPdf, kDocx };

// "json" | "html" | "pdf" | "docx"; kInvalid naming --format otherwise.
Result<Format> ParseFormat(std::string_view s);
const char* FormatExtension(Format f);  // "json", "html", "pdf", "docx"
const char* FormatMimeType(Format f);

// Writes the report to `path` (replacing it only once the new file is complete). PDF and DOCX
// need their converter (renderers.h): kUnavailable naming the package when it is missing.
Status WriteReport(const nlohmann::json& data, Format format, const RenderOptions& render, const std::string& path);

}  // namespace yuqing::report
