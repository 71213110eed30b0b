#include "report/schedule.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <filesystem>

#include "report/output.h"
#include "report/renderers.h"
#include "store/outbox_store.h"

namespace yuqing::report {
namespace {

using nlohmann::json;

constexpr TimeMs kOffset = kDefaultUtcOffsetMinutes * kMinute;

// Days since the epoch of the display-zone day holding t.
int64_t LocalDay(TimeMs t) {
  TimeMs z = t + kOffset;
  return (z - ((z % kDay) + kDay) % kDay) / kDay;
}

TimeMs LocalMidnight(int64_t day) { return day * kDay - kOffset; }

// "2026-06-02" of a display-zone day (civil_from_days, H. Hinnant).
std::string DayName(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y + (m <= 2)), m, d);
  return buf;
}

// The ISO week name of the week starting on Monday `monday` (a day number).
std::string WeekName(int64_t monday) {
  // The ISO year is the year of the week's Thursday; the week number counts from its week 1.
  std::string thursday = DayName(monday + 3);
  int year = std::atoi(thursday.substr(0, 4).c_str());
  auto p = WeekPeriod(std::to_string(year) + "-W01");
  int64_t week1 = LocalDay(p->from);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-W%02lld", year, static_cast<long long>((monday - week1) / 7 + 1));
  return buf;
}

std::string Pct(int64_t part, int64_t total) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", total > 0 ? 100.0 * part / total : 0.0);
  return buf;
}

// The message: the summary's figures in one paragraph, and where the full report is.
std::pair<std::string, std::string> Message(const Schedule& s, const DuePeriod& due, const json& data,
                                            const std::string& dashboard_url) {
  const bool daily = s.kind == "daily";
  std::string title = std::string(daily ? "舆情日报 " : "舆情周报 ") + due.name;
  int64_t posts = data.value("posts", int64_t{0}), change = data["change"].value("posts", int64_t{0});
  int64_t negative = data["by_sentiment"].value("negative", int64_t{0});
  const json& ac = data["alert_counts"];
  std::string text = "【" + title + "】信息 " + std::to_string(posts) + " 条，较上一周期" +
                     (change >= 0 ? "增加 " : "减少 ") + std::to_string(std::llabs(change)) + " 条；负面 " +
                     std::to_string(negative) + " 条（" + Pct(negative, posts) + "）；预警 " +
                     std::to_string(ac.value("raised", 0)) + " 条（已解除 " + std::to_string(ac.value("resolved", 0)) +
                     " 条）；处置中事件 " + std::to_string(data["incidents"].size()) + " 起。";
  if (!data["top_events"].empty()) text += "最受关注：" + data["top_events"][0].value("title", std::string()).substr(0, 120) + "。";
  if (!dashboard_url.empty())
    text += "\n报告（PDF）：" + dashboard_url + "api/v1/reports/" + s.kind + "?" + (daily ? "date=" : "week=") + due.name +
            "&format=pdf&department=" + s.department;
  return {title, text};
}

// The period's report as a file for e-mail (PDF, or HTML without Chromium), made once: an
// existing file is the same period's report, made at an earlier pass.
Result<std::pair<std::string, std::string>> ReportFile(const json& data, const Schedule& s, const DuePeriod& due,
                                                       const std::string& dir) {
  const bool pdf = FindChromium().ok();
  std::string name = std::string(s.kind == "daily" ? "舆情日报-" : "舆情周报-") + due.name + "-" + s.department +
                     (pdf ? ".pdf" : ".html");
  for (char& c : name)
    if (c == '/' || c == '\\') c = '_';
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string path = dir + "/" + name;
  if (!std::filesystem::exists(path, ec)) {
    RenderOptions render;
    FindChartAssets(render);
    YQ_RETURN_IF_ERROR(WriteReport(data, pdf ? Format::kPdf : Format::kHtml, render, path));
  }
  return std::make_pair(path, name);
}

}  // namespace

Result<int> ParseClock(std::string_view s) {
  int h = -1, m = -1;
  if (s.size() == 5 && s[2] == ':') {
    std::from_chars(s.data(), s.data() + 2, h);
    std::from_chars(s.data() + 3, s.data() + 5, m);
  }
  if (h < 0 || h > 23 || m < 0 || m > 59) return Status::Invalid("--at: a time of day HH:MM (UTC+8), not \"" + std::string(s) + "\"");
  return h * 60 + m;
}

std::string FormatClock(int minutes) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

std::optional<DuePeriod> LatestDue(const Schedule& s, TimeMs now) {
  const TimeMs at = s.at_minutes * kMinute;
  DuePeriod d;
  if (s.kind == "daily") {
    // Today's send time covers yesterday; before it, the day before yesterday's send time (yesterday's).
    int64_t day = LocalDay(now);
    if (LocalMidnight(day) + at > now) --day;  // today's send time has not come: the last one was yesterday's
    d.period = {LocalMidnight(day - 1), LocalMidnight(day)};
    d.name = DayName(day - 1);
    d.send_at = LocalMidnight(day) + at;
  } else {
    int64_t day = LocalDay(now);
    int64_t monday = day - (((day % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
    if (LocalMidnight(monday) + at > now) monday -= 7;
    d.period = {LocalMidnight(monday - 7), LocalMidnight(monday)};
    d.name = WeekName(monday - 7);
    d.send_at = LocalMidnight(monday) + at;
  }
  if (d.send_at < s.created_at) return std::nullopt;
  return d;
}

Result<DeliveryReport> DeliverDue(store::Database& db, TimeMs now, const std::string& dashboard_url,
                                  const std::string& files_dir, const std::function<void()>& on_enqueued) {
  YQ_ASSIGN_OR_RETURN(auto schedules, ScheduleStore::Open(db));
  YQ_ASSIGN_OR_RETURN(auto list, schedules->List());
  YQ_ASSIGN_OR_RETURN(auto outbox, store::OutboxStore::Open(db));
  DeliveryReport rep;
  for (const auto& s : list) {
    auto due = LatestDue(s, now);
    if (!due) continue;
    ++rep.schedules;
    // The idempotency key: kind + period + department, and the contact (as notify's own messages).
    const std::string key = "yq-msg-report-" + s.kind + "-" + due->name + "-" + s.department;
    YQ_ASSIGN_OR_RETURN(auto contacts, outbox->ListContacts(s.department));
    // Made and enqueued once: when every contact has this period's message, nothing is built.
    bool pending = false;
    for (const auto& c : contacts) {
      if (!c.enabled || c.escalation_order > 0) continue;
      YQ_ASSIGN_OR_RETURN(bool exists, outbox->HasKey(key + "-c" + std::to_string(c.id)));
      if (!exists) pending = true;
    }
    if (!pending) continue;
    Request req;
    req.kind = s.kind == "daily" ? Kind::kDaily : Kind::kWeekly;
    req.period = due->period;
    req.department = s.department;
    Inputs in;
    in.db = &db;
    in.now = now;
    auto data = BuildReport(in, req);
    // A department without schemes still gets the brief of everything.
    if (!data.ok() && data.status().code() == Code::kNotFound) {
      req.department.clear();
      data = BuildReport(in, req);
    }
    if (!data.ok()) return data.status();
    auto [title, text] = Message(s, *due, *data, dashboard_url);
    std::optional<std::pair<std::string, std::string>> file;
    for (const auto& c : contacts) {
      if (!c.enabled || c.escalation_order > 0) continue;
      json payload = {{"idempotency_key", key + "-c" + std::to_string(c.id)}, {"kind", "report"},
                      {"department", c.department}, {"title", title}, {"text", text}};
      if (c.channel == "email" && !files_dir.empty()) {
        if (!file) {
          auto f = ReportFile(*data, s, *due, files_dir);
          // Without a file the mail still goes, with the link: a renderer failing must not stop it.
          if (f.ok()) file = *f;
          else std::cerr << "report schedule: " << f.status().ToString() << std::endl;
        }
        if (file)
          payload["attachment"] = {{"path", file->first}, {"name", file->second},
                                   {"mime", file->second.size() > 4 && file->second.substr(file->second.size() - 4) == ".pdf"
                                                ? "application/pdf" : "text/html"}};
      }
      store::OutboxEntry e;
      e.idem_key = payload["idempotency_key"];
      e.notice = "report";
      e.contact_id = c.id;
      e.department = c.department;
      e.channel = c.channel;
      e.target = c.target;
      e.secret = c.secret;
      e.payload = payload.dump(-1, ' ', false, json::error_handler_t::replace);
      e.created_at = now;
      YQ_ASSIGN_OR_RETURN(auto r, outbox->Enqueue(e));
      rep.enqueued += r.second;
    }
  }
  if (rep.enqueued > 0 && on_enqueued) on_enqueued();
  return rep;
}

std::unique_ptr<ScheduleRunner> ScheduleRunner::Start(DbOpener open, const Clock& clock, std::string dashboard_url,
                                                      std::string files_dir, std::function<void()> on_enqueued,
                                                      TimeMs every) {
  std::unique_ptr<ScheduleRunner> r(new ScheduleRunner());
  ScheduleRunner* self = r.get();
  r->thread_ = std::thread([self, open = std::move(open), &clock, url = std::move(dashboard_url),
                            dir = std::move(files_dir), on_enqueued = std::move(on_enqueued), every] {
    std::unique_ptr<store::Database> db;
    for (;;) {
      Status st;
      if (!db) {
        auto d = open();
        if (d.ok()) db = std::move(d).value();
        else st = d.status();
      }
      if (db) {
        auto rep = DeliverDue(*db, clock.Now(), url, dir, on_enqueued);
        if (!rep.ok()) st = rep.status();
      }
      if (!st.ok()) {
        std::cerr << "report schedule: " << st.ToString() << std::endl;
        db.reset();  // a fresh connection next time
      }
      std::unique_lock<std::mutex> lock(self->mu_);
      if (self->cv_.wait_for(lock, std::chrono::milliseconds(every), [self] { return self->stop_; })) return;
    }
  });
  return r;
}

ScheduleRunner::~ScheduleRunner() { Stop(); }

void ScheduleRunner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace yuqing::report
