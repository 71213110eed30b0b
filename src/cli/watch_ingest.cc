#include "cli/watch_ingest.h"

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "cli/file_plan.h"
#include "ingest/csv.h"
#include "store/ingest_cursor_store.h"

namespace yuqing::cli {
namespace {

namespace fs = std::filesystem;

constexpr TimeMs kStable = 2 * kSecond;  // a whole-document file unchanged this long is complete
constexpr size_t kMaxChunk = 64u << 20;  // read at most this much of a file per pass

enum class Kind { kLines, kCsv, kWhole, kNone };

bool EndsWith(const std::string& s, const char* e) {
  size_t n = std::strlen(e);
  return s.size() >= n && s.compare(s.size() - n, n, e) == 0;
}

Kind KindOf(const std::string& path) {
  if (EndsWith(path, ".jsonl") || EndsWith(path, ".ndjson")) return Kind::kLines;
  if (EndsWith(path, ".csv") || EndsWith(path, ".tsv")) return Kind::kCsv;
  if (EndsWith(path, ".json")) return Kind::kWhole;
  return Kind::kNone;
}

struct FileState {
  int64_t offset = 0;  // first byte not yet read
  int64_t lines = 0;   // lines before offset
  bool dirty = true;   // may have new bytes
  bool closed = false; // closed for writing since it was last read
  int64_t seen_size = -1;
  TimeMs seen_at = 0;  // when seen_size was last different
};

// A self-closing descriptor.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

class Watcher {
 public:
  Watcher(Context& ctx, app::Pipeline& pipeline, const WatchOptions& o, store::IngestCursorStore& cursors, std::string root)
      : ctx_(ctx), pipeline_(pipeline), o_(o), cursors_(cursors), root_(std::move(root)), source_("watch:" + root_) {}

  Status Run();

 private:
  Status AddDir(const std::string& dir);
  Status Track(const std::string& path);
  Status OnEvents();
  Status ProcessAll(bool final_pass);
  Status Process(const std::string& path, FileState& st, bool final_pass);
  // Feeds `data` (complete records of `path`) as `container`; line numbers shifted by `lines_before`.
  Status Feed(const std::string& path, std::string_view data, const std::string& container, int64_t lines_before,
              int64_t offset_before);
  std::string Key(const std::string& path) const { return fs::relative(path, root_).string(); }

  Context& ctx_;
  app::Pipeline& pipeline_;
  const WatchOptions& o_;
  store::IngestCursorStore& cursors_;
  std::string root_, source_;
  Fd inotify_, signals_;
  std::map<int, std::string> dirs_;
  std::map<std::string, FileState> files_;
};

Status Watcher::AddDir(const std::string& dir) {
  int wd = inotify_add_watch(inotify_.fd, dir.c_str(), IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO);
  if (wd < 0) return Status::Io("cannot watch " + dir + ": " + std::strerror(errno));
  dirs_[wd] = dir;
  std::error_code ec;
  std::vector<std::string> entries;
  for (const auto& e : fs::directory_iterator(dir, ec)) entries.push_back(e.path().string());
  std::sort(entries.begin(), entries.end());
  for (const auto& p : entries) {
    if (fs::is_directory(p, ec)) YQ_RETURN_IF_ERROR(AddDir(p));
    else YQ_RETURN_IF_ERROR(Track(p));
  }
  return Status::Ok();
}

Status Watcher::Track(const std::string& path) {
  if (KindOf(path) == Kind::kNone || files_.count(path)) return Status::Ok();
  YQ_ASSIGN_OR_RETURN(auto c, cursors_.Get(source_, Key(path)));
  FileState st;
  if (c.a >= 0) {
    st.offset = c.a;
    st.lines = c.b;
  }
  files_[path] = st;
  return Status::Ok();
}

Status Watcher::OnEvents() {
  alignas(struct inotify_event) char buf[16384];
  ssize_t n = read(inotify_.fd, buf, sizeof buf);
  if (n <= 0) return Status::Ok();
  for (char* p = buf; p < buf + n;) {
    auto* ev = reinterpret_cast<struct inotify_event*>(p);
    p += sizeof(struct inotify_event) + ev->len;
    if (ev->mask & IN_Q_OVERFLOW) {  // events were lost: look at every file again
      for (auto& [_, st] : files_) st.dirty = true;
      continue;
    }
    auto dir = dirs_.find(ev->wd);
    if (dir == dirs_.end() || ev->len == 0) continue;
    std::string path = dir->second + "/" + ev->name;
    if (ev->mask & IN_ISDIR) {
      if (ev->mask & (IN_CREATE | IN_MOVED_TO)) YQ_RETURN_IF_ERROR(AddDir(path));
      continue;
    }
    YQ_RETURN_IF_ERROR(Track(path));
    auto f = files_.find(path);
    if (f == files_.end()) continue;
    f->second.dirty = true;
    if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) f->second.closed = true;
  }
  return Status::Ok();
}

Status Watcher::Feed(const std::string& path, std::string_view data, const std::string& container, int64_t lines_before,
                     int64_t offset_before) {
  YQ_ASSIGN_OR_RETURN(auto plan, PlanFiles({path}, o_.format, o_.flags.source));
  if (plan.jobs.empty()) return Status::Ok();  // creator profiles and the like: not posts
  const FileJob& job = plan.jobs.front();
  IngestFlags flags = o_.flags;
  flags.format = container;
  YQ_ASSIGN_OR_RETURN(auto ropts, MakeReadOptions(flags, ctx_.services()->clock().Now()));
  ropts.adapter = job.adapter;
  BatchFeeder feeder(pipeline_, o_.flags.batch);
  YQ_RETURN_IF_ERROR(ingest::ReadBuffer(data, path, ropts, [&](ingest::Item& item) {
    item.line += lines_before;
    item.offset += offset_before;
    if (!item.ok) {
      item.bad.line = item.line;
      item.bad.offset = item.offset;
      if (!job.vendor.empty()) item.bad.format = job.vendor;
    }
    return feeder.Add(item);
  }));
  return feeder.Flush();
}

Status Watcher::Process(const std::string& path, FileState& st, bool final_pass) {
  struct stat sb{};
  if (stat(path.c_str(), &sb) != 0) {
    st.dirty = false;
    return Status::Ok();  // removed since
  }
  const int64_t size = sb.st_size;
  const TimeMs now = ctx_.services()->clock().Now();
  if (size != st.seen_size) {
    st.seen_size = size;
    st.seen_at = now;
  }
  if (size < st.offset) {  // truncated or replaced: read it again from the start
    std::cerr << ctx_.T("文件变短了，从头重读: ", "the file shrank; reading it again: ") << path << std::endl;
    st.offset = 0;
    st.lines = 0;
  }
  const Kind kind = KindOf(path);
  const bool complete_file = st.closed || now - st.seen_at >= kStable || final_pass;
  if (kind == Kind::kWhole && (!complete_file || st.offset == size)) {
    st.dirty = !complete_file;  // look again until it settles
    return Status::Ok();
  }
  if (kind == Kind::kWhole) st.offset = 0;  // a document rewritten whole (MediaCrawler's .json) is read whole
  if (size == st.offset) {
    st.dirty = false;
    st.closed = false;
    return Status::Ok();
  }
  std::ifstream in(path, std::ios::binary);
  std::string header;
  char delim = ',';
  if (kind == Kind::kCsv) {
    std::string head(64 * 1024, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
    in.clear();
    size_t eol = head.find('\n');
    if (eol == std::string::npos) return Status::Ok();  // the header is not complete yet
    header = head.substr(0, eol + 1);
    delim = ingest::GuessDelimiter(header);
    if (st.offset == 0) {
      st.offset = static_cast<int64_t>(header.size());
      st.lines = 1;
    }
  }
  in.seekg(st.offset);
  std::string chunk(static_cast<size_t>(std::min<int64_t>(size - st.offset, kMaxChunk)), '\0');
  in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  chunk.resize(static_cast<size_t>(in.gcount()));
  const bool at_end = st.offset + static_cast<int64_t>(chunk.size()) >= size;
  // A last line without its newline is read only once the writer has closed the file and left
  // it alone for a while (a writer may close mid-line and append the rest later), and for CSV
  // only when its quotes are closed.
  const bool settled = st.closed && now - st.seen_at >= kStable && at_end;
  size_t used = 0;
  if (kind == Kind::kWhole) {
    used = chunk.size();
  } else if (kind == Kind::kLines) {
    size_t last = chunk.rfind('\n');
    used = last == std::string::npos ? 0 : last + 1;
    if (settled && used < chunk.size()) used = chunk.size();
  } else {
    ingest::CsvCursor cursor;
    used = ingest::ParseCsvChunk(chunk, delim, false, cursor, [](ingest::CsvRow&) { return true; });
    if (settled && used < chunk.size()) {
      bool whole = true;
      ingest::CsvCursor tail;
      ingest::ParseCsvChunk(std::string_view(chunk).substr(used), delim, true, tail, [&](ingest::CsvRow& r) {
        whole = whole && r.error.empty();
        return true;
      });
      if (whole) used = chunk.size();
    }
  }
  const bool tail_pending = at_end && used < chunk.size();
  if (used == 0) {
    st.dirty = !at_end || (tail_pending && st.closed && !settled);  // look again once it settles
    return Status::Ok();
  }
  std::string_view records(chunk.data(), used);
  const auto before = pipeline_.counts();
  if (kind == Kind::kCsv) {
    std::string doc = header + std::string(records);
    YQ_RETURN_IF_ERROR(Feed(path, doc, "csv", st.lines - 1, st.offset - static_cast<int64_t>(header.size())));
  } else {
    YQ_RETURN_IF_ERROR(Feed(path, records, kind == Kind::kWhole ? "json" : "jsonl", st.lines, st.offset));
  }
  st.offset += static_cast<int64_t>(used);
  st.lines += std::count(records.begin(), records.end(), '\n');
  YQ_RETURN_IF_ERROR(cursors_.Put(source_, Key(path), {st.offset, st.lines}, now));
  st.dirty = !at_end || (tail_pending && st.closed && !settled);
  if (at_end && !st.dirty) st.closed = false;
  if (!o_.json) {
    const auto& c = pipeline_.counts();
    std::cout << Key(path) << ctx_.T(": 入库 ", ": stored ") << c.stored - before.stored << ctx_.T("，重复 ", ", duplicates ")
              << c.duplicates - before.duplicates << ctx_.T("，隔离 ", ", quarantined ") << c.quarantined - before.quarantined
              << std::endl;
  }
  return Status::Ok();
}

Status Watcher::ProcessAll(bool final_pass) {
  for (auto& [path, st] : files_) {
    if (st.dirty || (KindOf(path) == Kind::kWhole && st.offset < st.seen_size) || final_pass)
      YQ_RETURN_IF_ERROR(Process(path, st, final_pass));
  }
  return Status::Ok();
}

Status Watcher::Run() {
  inotify_.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_.fd < 0) return Status::Io(std::string("inotify: ") + std::strerror(errno));
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  signals_.fd = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signals_.fd < 0) return Status::Io(std::string("signalfd: ") + std::strerror(errno));
  YQ_RETURN_IF_ERROR(AddDir(root_));
  if (!o_.json)
    std::cerr << ctx_.T("正在监视 ", "watching ") << root_ << ctx_.T("（Ctrl-C 结束）", " (Ctrl-C to stop)") << std::endl;
  while (true) {
    YQ_RETURN_IF_ERROR(ProcessAll(false));
    pollfd fds[2] = {{inotify_.fd, POLLIN, 0}, {signals_.fd, POLLIN, 0}};
    int n = poll(fds, 2, 500);  // the timeout lets quiet whole-document files become stable
    if (n < 0 && errno != EINTR) return Status::Io(std::string("poll: ") + std::strerror(errno));
    if (n > 0 && (fds[1].revents & POLLIN)) break;
    if (n > 0 && (fds[0].revents & POLLIN)) YQ_RETURN_IF_ERROR(OnEvents());
  }
  return Status::Ok();
}

}  // namespace

void BlockStopSignals() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
}

Status WatchFolder(Context& ctx, app::Pipeline& pipeline, const WatchOptions& o) {
  std::error_code ec;
  if (!fs::is_directory(o.dir, ec)) return Status::Invalid(std::string(ctx.T("不是文件夹: ", "not a folder: ")) + o.dir);
  std::string root = fs::canonical(o.dir, ec).string();
  YQ_ASSIGN_OR_RETURN(auto cursors, store::IngestCursorStore::Open(ctx.services()->db()));
  Watcher w(ctx, pipeline, o, *cursors, root);
  return w.Run();
}

}  // namespace yuqing::cli
