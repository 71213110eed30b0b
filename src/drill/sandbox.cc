#include "drill/sandbox.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/alert_store.h"
#include "store/incident_store.h"
#include "store/post_store.h"

namespace yuqing::drill {

using nlohmann::json;

std::string StatePath(const std::string& data_dir) { return data_dir + "/drill.json"; }

bool IsSandbox(const std::string& data_dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(StatePath(data_dir), ec);
}

json StateToJson(const DrillState& s) {
  return {{"scenario", s.scenario_path}, {"name", s.scenario_name}, {"title", s.title},
          {"start", FormatTime(s.start)}, {"start_ms", s.start},   {"wall_start_ms", s.wall_start},
          {"speed", s.speed},            {"end", FormatTime(s.end)}, {"end_ms", s.end},
          {"status", s.status},          {"wall_replayed_ms", s.wall_replayed}};
}

Result<DrillState> ReadState(const std::string& data_dir) {
  std::ifstream in(StatePath(data_dir));
  if (!in) return Status::NotFound(data_dir + " is no drill sandbox (no drill.json)");
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (!j.is_object()) return Status::Invalid(StatePath(data_dir) + ": not a JSON object");
  DrillState s;
  try {
    s.scenario_path = j.value("scenario", "");
    s.scenario_name = j.value("name", "");
    s.title = j.value("title", "");
    s.start = j.at("start_ms").get<TimeMs>();
    s.wall_start = j.at("wall_start_ms").get<TimeMs>();
    s.speed = j.at("speed").get<double>();
    s.end = j.value("end_ms", TimeMs{0});
    s.status = j.value("status", "running");
    s.wall_replayed = j.value("wall_replayed_ms", TimeMs{0});
  } catch (const json::exception& e) {
    return Status::Invalid(StatePath(data_dir) + ": " + e.what());
  }
  return s;
}

Status WriteState(const std::string& data_dir, const DrillState& s) {
  const std::string path = StatePath(data_dir), tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return Status::Io("cannot write " + tmp);
    out << StateToJson(s).dump(2) << "\n";
    if (!out) return Status::Io("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return Status::Io("cannot rename " + tmp + " to " + path);
  return Status::Ok();
}

TimeMs DrillTime(const DrillState& s, TimeMs wall) {
  if (s.speed <= 0) {
    // As fast as possible: the whole scenario at once, then real time from its end.
    if (s.status != "replayed" || s.wall_replayed <= 0) return s.end > 0 ? s.end : s.start;
    return s.end + std::max<TimeMs>(0, wall - s.wall_replayed);
  }
  return s.start + static_cast<TimeMs>(std::llround(static_cast<double>(wall - s.wall_start) * s.speed));
}

TimeMs DrillClock::Now() const { return DrillTime(s_, wall_.Now()); }

namespace {

// How many of `component`'s records the store holds (0 when it has none of its tables), read
// without creating anything.
Result<int64_t> CountRecords(store::Database& db, const std::string& component) {
  YQ_ASSIGN_OR_RETURN(bool has, db.HasComponent(component));
  if (!has) return int64_t{0};
  if (component == "posts") {
    YQ_ASSIGN_OR_RETURN(auto posts, store::PostStore::Open(db));
    return posts->Count();
  }
  if (component == "alerts") {
    YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(db));
    YQ_ASSIGN_OR_RETURN(auto totals, alerts->CountAll());
    return totals.count;
  }
  store::IncidentStore incidents(db);
  YQ_RETURN_IF_ERROR(incidents.Init());
  return incidents.CountIncidents();
}

}  // namespace

Status CheckEmptyStore(store::Database& db, bool zh) {
  for (const char* table : {"posts", "alerts", "incidents"}) {
    YQ_ASSIGN_OR_RETURN(int64_t n, CountRecords(db, table));
    if (n == 0) continue;
    std::string what = std::string(table) == "posts" ? (zh ? " 条帖子" : " posts")
                       : std::string(table) == "alerts" ? (zh ? " 条预警" : " alerts")
                                                        : (zh ? " 个危机事件" : " incidents");
    return Status::Conflict(zh ? "该数据目录已有 " + std::to_string(n) + what +
                                     "，不是演练沙箱；演练只能在新的空目录中进行，绝不写入生产库"
                               : "the data directory already holds " + std::to_string(n) + what +
                                     ": it is no drill sandbox; a drill runs only in a new, empty directory, never "
                                     "in a production store");
  }
  return Status::Ok();
}

}  // namespace yuqing::drill
