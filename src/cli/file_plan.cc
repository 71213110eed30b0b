#include "cli/file_plan.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "ingest/mediacrawler.h"
#include "ingest/reader.h"
#include "ingest/table_mapping.h"
#include "ingest/weibo.h"

namespace yuqing::cli {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& s, const std::string& e) {
  return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
}

bool ReadableExtension(const std::string& path, bool vendor) {
  static const char* kOurs[] = {".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".xlsx", ".xml", ".rss", ".atom"};
  static const char* kVendor[] = {".jsonl", ".ndjson", ".json", ".csv"};
  if (vendor) return std::any_of(std::begin(kVendor), std::end(kVendor), [&](const char* e) { return EndsWith(path, e); });
  return std::any_of(std::begin(kOurs), std::end(kOurs), [&](const char* e) { return EndsWith(path, e); });
}

// The container of a vendor file, from its extension (MediaCrawler's .json files are one array).
std::string ContainerOf(const std::string& path) {
  if (EndsWith(path, ".csv") || EndsWith(path, ".tsv")) return "csv";
  if (EndsWith(path, ".json")) return "json";
  return "jsonl";
}

Status Expand(const std::string& path, bool vendor, std::vector<std::string>& files, FilePlan& plan) {
  std::error_code ec;
  if (path == "-") {
    files.push_back(path);
    return Status::Ok();
  }
  auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return Status::NotFound("cannot open " + path);
  if (!fs::is_directory(st)) {
    files.push_back(path);
    return Status::Ok();
  }
  std::vector<std::string> found;
  for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string p = it->path().string();
    if (ReadableExtension(p, vendor)) found.push_back(p);
    else plan.skipped.push_back(p);
  }
  if (ec) return Status::Invalid("cannot read the folder " + path + ": " + ec.message());
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return Status::Ok();
}

Status ReadProfiles(const std::string& path, ingest::McProfiles& profiles) {
  ingest::ReadOptions o;
  YQ_ASSIGN_OR_RETURN(o.format, ingest::ParseFormat(ContainerOf(path)));
  // Profiles are read through an adapter that keeps the record instead of making a post of it.
  struct Collector final : ingest::RecordAdapter {
    ingest::McProfiles* out;
    ingest::ParsedPost Convert(const nlohmann::json& r, const ingest::ParseDefaults&) const override {
      ingest::AddMcProfile(r, *out);
      return {};
    }
  };
  auto c = std::make_shared<Collector>();
  c->out = &profiles;
  o.adapter = c;
  return ingest::ReadFile(path, o, [](ingest::Item&) { return Status::Ok(); });
}

Status PlanMediaCrawler(const std::vector<std::string>& files, const std::string& source, FilePlan& plan) {
  auto profiles = std::make_shared<ingest::McProfiles>();
  std::vector<std::pair<ingest::McTarget, std::string>> posts;
  for (const auto& f : files) {
    if (f == "-") return Status::Invalid("--format mediacrawler reads files or folders, not stdin");
    YQ_ASSIGN_OR_RETURN(auto target, ingest::McTargetFromPath(f, source));
    if (target.kind == ingest::McKind::kCreator) {
      YQ_RETURN_IF_ERROR(ReadProfiles(f, *profiles));
      plan.profiles.push_back(f);
    } else if (target.kind == ingest::McKind::kOther) {
      plan.skipped.push_back(f);
    } else {
      posts.emplace_back(target, f);
    }
  }
  // Notes before comments, so that a reply's parent is usually stored first.
  std::stable_sort(posts.begin(), posts.end(), [](const auto& a, const auto& b) {
    return a.first.kind == ingest::McKind::kContent && b.first.kind != ingest::McKind::kContent;
  });
  for (auto& [target, path] : posts)
    plan.jobs.push_back({path, ContainerOf(path), std::make_shared<ingest::MediaCrawlerAdapter>(target, profiles), "",
                         "mediacrawler"});
  return Status::Ok();
}

std::string Head(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

std::shared_ptr<const ingest::RecordAdapter> WeiboAdapter(const std::string& format, const std::string& path) {
  if (format == "weibo") return std::make_shared<ingest::WeiboStatusAdapter>();
  return std::make_shared<ingest::WeiboCrawlerAdapter>(ingest::WeiboCrawlerAdapter::FromPath(path));
}

// --format auto: a file whose first bytes carry a vendor's marks is read as that vendor's.
Status PlanAuto(const std::vector<std::string>& files, const std::string& source, FilePlan& plan) {
  std::vector<std::string> mediacrawler;
  for (const auto& f : files) {
    std::string vendor = f == "-" ? "" : ingest::DetectVendor(Head(f), f);
    if (vendor == "mediacrawler" && !ingest::McTargetFromPath(f, source).ok()) vendor.clear();
    if (vendor == "mediacrawler") mediacrawler.push_back(f);
    else if (!vendor.empty()) plan.jobs.push_back({f, ContainerOf(f), WeiboAdapter(vendor, f), "", vendor});
    else if (EndsWith(f, ".xlsx")) plan.jobs.push_back({f, "xlsx", nullptr, "", "xlsx"});
    else plan.jobs.push_back({f, "auto", nullptr});
  }
  if (!mediacrawler.empty()) return PlanMediaCrawler(mediacrawler, source, plan);
  return Status::Ok();
}

Status PlanTables(const std::vector<std::string>& files, const std::string& mapping_path, FilePlan& plan) {
  YQ_ASSIGN_OR_RETURN(auto mapping, ingest::LoadTableMapping(mapping_path));
  auto adapter = std::make_shared<ingest::TableMappingAdapter>(mapping);
  for (const auto& f : files) {
    if (f == "-") return Status::Invalid("--map with a mapping file reads files or folders, not stdin");
    YQ_ASSIGN_OR_RETURN(auto header, ingest::ReadHeader(f, mapping.sheet));
    YQ_RETURN_IF_ERROR(ingest::CheckHeader(mapping, header, f));
    plan.jobs.push_back({f, EndsWith(f, ".xlsx") ? "xlsx" : "csv", adapter, mapping.sheet, "table"});
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> TakeMappingFile(std::vector<std::string>& maps) {
  std::string file;
  std::vector<std::string> pairs;
  for (auto& m : maps) {
    if (m.find('=') == std::string::npos && (EndsWith(m, ".yaml") || EndsWith(m, ".yml"))) {
      if (!file.empty()) return Status::Invalid("give one mapping file to --map, not " + file + " and " + m);
      file = m;
    } else {
      pairs.push_back(m);
    }
  }
  maps = std::move(pairs);
  return file;
}

bool NeedsSourceToRetry(const std::string& f) {
  return f == "mediacrawler" || f == "mediacrawler-db" || f == "weibo" || f == "weibo-crawler" || f == "table" ||
         f == "xlsx";
}

bool IsVendorFormat(const std::string& format) {
  return format == "mediacrawler" || format == "weibo" || format == "weibo-crawler";
}

Result<FilePlan> PlanFiles(const std::vector<std::string>& paths, const std::string& format,
                           const std::string& source, const std::string& mapping) {
  FilePlan plan;
  const bool vendor = IsVendorFormat(format);
  std::vector<std::string> files;
  for (const auto& p : paths) YQ_RETURN_IF_ERROR(Expand(p, vendor, files, plan));
  if (!mapping.empty()) {
    if (vendor) return Status::Invalid("--map with a mapping file reads tables (CSV, XLSX); it does not combine with --format " + format);
    YQ_RETURN_IF_ERROR(PlanTables(files, mapping, plan));
  } else if (format == "mediacrawler") {
    YQ_RETURN_IF_ERROR(PlanMediaCrawler(files, source, plan));
  } else if (format == "weibo" || format == "weibo-crawler") {
    for (const auto& f : files) {
      if (f == "-") return Status::Invalid("--format " + format + " reads files or folders, not stdin");
      plan.jobs.push_back({f, ContainerOf(f), WeiboAdapter(format, f), "", format});
    }
  } else if (format == "auto") {
    YQ_RETURN_IF_ERROR(PlanAuto(files, source, plan));
  } else {
    for (const auto& f : files) plan.jobs.push_back({f, format, nullptr});
  }
  return plan;
}

}  // namespace yuqing::cli
