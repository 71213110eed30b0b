#include "report/output.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "report/charts.h"
#include "report/renderers.h"

namespace yuqing::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Io("cannot write " + path);
  out << text;
  out.close();
  if (!out) return Status::Io("cannot write " + path);
  return Status::Ok();
}

// A temporary directory removed when the value goes away.
class TempDir {
 public:
  static Result<TempDir> Make() {
    std::error_code ec;
    std::string tmpl = (fs::temp_directory_path(ec) / "yuqing-report-XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back(0);
    if (!mkdtemp(buf.data())) return Status::Io("cannot create a temporary directory");
    return TempDir(buf.data());
  }
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string p) : path_(std::move(p)) {}
  std::string path_;
};

// Moves the finished file into place, so a failed run leaves the old report as it was.
Status Publish(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (!ec) return Status::Ok();
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);  // across file systems
  if (ec) return Status::Io("cannot write " + to + ": " + ec.message());
  return Status::Ok();
}

// Each chart of the page as a PNG (a page of its own holding ECharts and one chart, screenshot by
// Chromium), and the page with every chart element replaced by its image: what pandoc converts.
Result<std::string> HtmlWithChartImages(const json& data, const RenderOptions& render, const std::string& dir) {
  YQ_ASSIGN_OR_RETURN(std::string html, RenderHtml(data, render));
  if (render.echarts_js.empty()) return html;
  json charts = ChartOptions(data, render.lang != "en");
  std::regex chart_div(R"re(<div class="chart[^"]*" data-chart="([a-z_]+)"></div>)re");
  std::string out;
  auto begin = std::sregex_iterator(html.begin(), html.end(), chart_div);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::string id = (*it)[1];
    out += html.substr(last, it->position() - last);
    last = it->position() + it->length();
    if (!charts.contains(id)) continue;
    std::string page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body{margin:0;background:#fff}"
                       "#c{width:800px;height:320px}</style></head><body><div id=\"c\"></div><script>" +
                       render.echarts_js + "</script><script>" +
                       (id == "province_map" ? "echarts.registerMap('china'," + render.china_map_json + ");" : std::string()) +
                       "echarts.init(document.getElementById('c'),null,"
                       "{renderer:'svg'}).setOption(" + charts[id].dump() + ");</script></body></html>";
    std::string page_path = dir + "/chart-" + id + ".html", png = dir + "/chart-" + id + ".png";
    YQ_RETURN_IF_ERROR(WriteFile(page_path, page));
    YQ_RETURN_IF_ERROR(HtmlToPng(page_path, png, 800, 320));
    out += "<p><img src=\"chart-" + id + ".png\" alt=\"" + id + "\" style=\"width:16cm\"></p>";
  }
  out += html.substr(last);
  return out;
}

}  // namespace

Result<Format> ParseFormat(std::string_view s) {
  if (s == "json") return Format::kJson;
  if (s == "html") return Format::kHtml;
  if (s == "pdf") return Format::kPdf;
  if (s == "docx") return Format::kDocx;
  return Status::Invalid("--format: json, html, pdf or docx, not \"" + std::string(s) + "\"");
}

const char* FormatExtension(Format f) {
  switch (f) {
    case Format::kJson: return "json";
    case Format::kHtml: return "html";
    case Format::kPdf: return "pdf";
    case Format::kDocx: return "docx";
  }
  return "";
}

const char* FormatMimeType(Format f) {
  switch (f) {
    case Format::kJson: return "application/json";
    case Format::kHtml: return "text/html; charset=utf-8";
    case Format::kPdf: return "application/pdf";
    case Format::kDocx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  }
  return "application/octet-stream";
}

Status WriteReport(const json& data, Format format, const RenderOptions& render, const std::string& path) {
  // Converters are checked first: a missing one fails fast, before any work.
  if (format == Format::kPdf) YQ_RETURN_IF_ERROR(FindChromium().status());
  if (format == Format::kDocx) {
    YQ_RETURN_IF_ERROR(FindPandoc().status());
    if (!render.echarts_js.empty()) YQ_RETURN_IF_ERROR(FindChromium().status());
  }
  YQ_ASSIGN_OR_RETURN(TempDir tmp, TempDir::Make());
  const std::string staged = tmp.path() + "/report." + FormatExtension(format);
  switch (format) {
    case Format::kJson:
      YQ_RETURN_IF_ERROR(WriteFile(staged, data.dump(2, ' ', false, json::error_handler_t::replace) + "\n"));
      break;
    case Format::kHtml: {
      YQ_ASSIGN_OR_RETURN(std::string html, RenderHtml(data, render));
      YQ_RETURN_IF_ERROR(WriteFile(staged, html));
      break;
    }
    case Format::kPdf: {
      YQ_ASSIGN_OR_RETURN(std::string html, RenderHtml(data, render));
      YQ_RETURN_IF_ERROR(WriteFile(tmp.path() + "/report.html", html));
      YQ_RETURN_IF_ERROR(HtmlToPdf(tmp.path() + "/report.html", staged));
      break;
    }
    case Format::kDocx: {
      YQ_ASSIGN_OR_RETURN(std::string html, HtmlWithChartImages(data, render, tmp.path()));
      YQ_RETURN_IF_ERROR(WriteFile(tmp.path() + "/report.html", html));
      YQ_RETURN_IF_ERROR(HtmlToDocx(tmp.path() + "/report.html", staged, tmp.path()));
      break;
    }
  }
  return Publish(staged, path);
}

}  // namespace yuqing::report
