// Health, OpenAPI, metrics, the live stream and the dashboard's fallback assets.
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "core/post_json.h"
#include "rules/query.h"
#include "server/handlers.h"

namespace yuqing::server {
namespace {
using nlohmann::json;

std::string SseData(const json& j) {
  // JSON text never contains a raw newline (dump escapes them), so one data: line suffices.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}
}  // namespace

Result<Reply> Health(Ctx& c) {
  return Reply(nlohmann::json{{"status", "ok"}, {"ingest", c.state.ingest != nullptr}});
}

Result<Reply> OpenApi(Ctx& c) { return Reply(c.state.openapi); }

Status MetricsText(Ctx& c, httplib::Response& res) {
  res.set_content(c.state.metrics.Render(), "text/plain; version=0.0.4; charset=utf-8");
  return Status::Ok();
}

Status Stream(Ctx& c, httplib::Response& res) {
  StreamFilter f;
  if (auto types = c.Param("types"); !types.empty()) {
    f.types = 0;
    size_t pos = 0;
    while (pos <= types.size()) {
      size_t end = types.find(',', pos);
      if (end == std::string::npos) end = types.size();
      std::string t = types.substr(pos, end - pos);
      if (t == "post") f.types |= StreamEvent::kPost;
      else if (t == "alert") f.types |= StreamEvent::kAlert;
      else if (!t.empty()) return Status::Invalid("types: post and/or alert, not '" + t.substr(0, 32) + "'");
      pos = end + 1;
    }
  }
  if (auto q = c.Param("q"); !q.empty()) {
    rules::ParseError err;
    auto parsed = rules::ParseQuery(q, *c.state.norm, {}, &err);
    if (!parsed.ok()) return Status::Invalid("q: " + err.Message(false));
    f.query = std::move(parsed).value();
  }
  YQ_ASSIGN_OR_RETURN(Scope scope, VisibleScope(c));
  f.admin = scope.all;
  f.scheme_ids.insert(scope.scheme_ids.begin(), scope.scheme_ids.end());
  f.departments = c.who.departments;
  if (auto s = c.Param("scheme"); !s.empty()) {
    YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(s, "scheme"));
    if (!scope.all && !f.scheme_ids.count(id)) return Status::Permission("scheme belongs to another department");
    f.admin = false;  // restrict to that scheme even for admins
    f.scheme_ids = {id};
    if (scope.all) f.departments.clear();
  }
  YQ_ASSIGN_OR_RETURN(auto sub_unique, c.state.hub.Subscribe(std::move(f)));
  std::shared_ptr<Subscription> sub(std::move(sub_unique));
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  auto first = std::make_shared<bool>(true);
  res.set_chunked_content_provider("text/event-stream", [sub, first](size_t, httplib::DataSink& sink) {
    if (*first) {
      *first = false;
      static constexpr char kHello[] = "retry: 3000\n: connected\n\n";
      return sink.write(kHello, sizeof kHello - 1);
    }
    uint64_t dropped = 0;
    auto e = sub->Next(15000, &dropped);
    if (sub->closed()) {
      sink.done();
      return true;
    }
    std::string out;
    if (!e) {
      out = ": keep-alive\n\n";
    } else {
      if (dropped) out += "event: dropped\ndata: {\"count\":" + std::to_string(dropped) + "}\n\n";
      out += "id: " + std::to_string(e->seq) + "\n";
      if (e->type == StreamEvent::kPost) out += "event: post\ndata: " + SseData(StoredPostToJson(*e->post)) + "\n\n";
      else out += "event: alert\ndata: " + SseData(e->alert) + "\n\n";
    }
    return sink.write(out.data(), out.size());
  });
  return Status::Ok();
}

Status EchartsFile(Ctx& c, httplib::Response& res) {
  if (c.state.echarts_file.empty()) return Status::NotFound("echarts is not installed (run npm ci in web/)");
  std::ifstream in(c.state.echarts_file, std::ios::binary);
  if (!in) return Status::NotFound("echarts is not installed (run npm ci in web/)");
  std::ostringstream ss;
  ss << in.rdbuf();
  res.set_content(ss.str(), "application/javascript; charset=utf-8");
  res.set_header("Cache-Control", "public, max-age=86400");
  return Status::Ok();
}

// The dashboard's other npm packages (web/package.json), served from web/node_modules by a fixed
// table: the URL never names a file, so nothing outside these three can be read.
Status VendorFile(Ctx& c, httplib::Response& res) {
  struct Asset {
    const char* url;
    const char* file;  // under web/node_modules
    const char* type;
  };
  static constexpr Asset kAssets[] = {
      {"/vendor/echarts-wordcloud.min.js", "echarts-wordcloud/dist/echarts-wordcloud.min.js",
       "application/javascript; charset=utf-8"},
      // The province map of China from Apache ECharts 4.9 (Apache-2.0), the last release that
      // shipped maps: web/package.json installs it as echarts-china-map.
      {"/vendor/china.json", "echarts-china-map/map/json/china.json", "application/json; charset=utf-8"},
  };
  for (const auto& a : kAssets) {
    if (c.req.path != a.url) continue;
    if (c.state.web_dir.empty()) break;
    std::ifstream in(c.state.web_dir + "/node_modules/" + a.file, std::ios::binary);
    if (!in) break;
    std::ostringstream ss;
    ss << in.rdbuf();
    res.set_content(ss.str(), a.type);
    res.set_header("Cache-Control", "public, max-age=86400");
    return Status::Ok();
  }
  return Status::NotFound(c.req.path + " is not installed (run npm ci in web/)");
}

Status IndexPage(Ctx& c, httplib::Response& res) {
  // Only reached when no dashboard directory is installed (the static mount serves index.html).
  res.set_content(
      "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>yuqing 舆情</title>"
      "<h1>yuqing 舆情</h1><p>仪表盘未安装 (dashboard not installed): start with <code>--web DIR</code>. "
      "API: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a></p></html>",
      "text/html; charset=utf-8");
  return Status::Ok();
}

}  // namespace yuqing::server
