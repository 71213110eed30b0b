#include "report/export.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <xlsxwriter.h>

namespace yuqing::report {
namespace {

constexpr size_t kPage = 1000;

struct Column {
  const char* zh;
  const char* en;
};
constexpr Column kColumns[] = {
    {"编号", "id"},           {"发布时间", "published_at"}, {"来源", "source"},     {"作者", "author"},
    {"链接", "url"},          {"标题", "title"},           {"正文", "text"},        {"情感", "sentiment"},
    {"谣言概率", "rumor"},    {"类型", "types"},            {"省份", "province"},    {"城市", "city"},
    {"事件", "event_id"},     {"转发", "reposts"},          {"评论", "comments"},    {"点赞", "likes"},
};
constexpr size_t kNumColumns = sizeof(kColumns) / sizeof(kColumns[0]);

// A cell value: text, or a number (written as a number in XLSX).
struct Cell {
  std::string text;
  bool number = false;
  double value = 0;
};

std::vector<Cell> RowOf(const store::StoredPost& sp) {
  const Post& p = sp.post;
  const Analysis& a = sp.analysis;
  std::string types;
  for (const auto& t : a.types) types += (types.empty() ? "" : ",") + t.type;
  auto num = [](double v) { return Cell{std::to_string(v), true, v}; };
  auto integer = [](int64_t v) { return Cell{std::to_string(v), true, static_cast<double>(v)}; };
  char rumor[32];
  std::snprintf(rumor, sizeof rumor, "%.2f", a.rumor);
  (void)num;
  return {Cell{p.id}, Cell{FormatTime(p.published_at)}, Cell{p.source}, Cell{p.author.name.empty() ? p.author.id : p.author.name},
          Cell{p.url}, Cell{p.title}, Cell{p.text}, Cell{a.sentiment_label}, Cell{rumor, true, a.rumor}, Cell{types},
          Cell{a.province}, Cell{a.city}, integer(a.event_id), integer(p.metrics.reposts), integer(p.metrics.comments),
          integer(p.metrics.likes)};
}

// A spreadsheet reads a leading = + - @ (or a tab/CR before them) as a formula.
std::string Defused(std::string_view s) {
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    return std::string(1, '\'').append(s);
  return std::string(s);
}

class Sink {
 public:
  virtual ~Sink() = default;
  virtual Status Header(bool zh) = 0;
  virtual Status Row(const std::vector<Cell>& cells) = 0;
  virtual Status Close() = 0;
};

class CsvSink final : public Sink {
 public:
  explicit CsvSink(const std::string& path) : out_(path, std::ios::binary | std::ios::trunc), path_(path) {}
  Status Header(bool zh) override {
    if (!out_) return Status::Io("cannot write " + path_);
    out_ << "\xEF\xBB\xBF";  // BOM: Excel then reads the file as UTF-8
    for (size_t i = 0; i < kNumColumns; ++i) out_ << (i ? "," : "") << (zh ? kColumns[i].zh : kColumns[i].en);
    out_ << "\r\n";
    return Status::Ok();
  }
  Status Row(const std::vector<Cell>& cells) override {
    for (size_t i = 0; i < cells.size(); ++i) out_ << (i ? "," : "") << (cells[i].number ? cells[i].text : CsvField(cells[i].text));
    out_ << "\r\n";
    return out_ ? Status::Ok() : Status::Io("cannot write " + path_);
  }
  Status Close() override {
    out_.close();
    return out_ ? Status::Ok() : Status::Io("cannot write " + path_);
  }

 private:
  std::ofstream out_;
  std::string path_;
};

class XlsxSink final : public Sink {
 public:
  explicit XlsxSink(const std::string& path, const std::string& tmpdir) : path_(path), tmpdir_(tmpdir) {}
  ~XlsxSink() override {
    if (book_) workbook_close(book_);
  }
  Status Header(bool zh) override {
    lxw_workbook_options opt = {};
    opt.constant_memory = LXW_TRUE;  // rows go to a temp file as they are written
    opt.use_zip64 = LXW_TRUE;        // large exports pass 4 GB uncompressed
    opt.tmpdir = const_cast<char*>(tmpdir_.c_str());
    book_ = workbook_new_opt(path_.c_str(), &opt);
    if (!book_) return Status::Io("cannot create " + path_);
    sheet_ = workbook_add_worksheet(book_, zh ? "帖子" : "posts");
    bold_ = workbook_add_format(book_);
    format_set_bold(bold_);
    for (size_t i = 0; i < kNumColumns; ++i)
      worksheet_write_string(sheet_, 0, static_cast<lxw_col_t>(i), zh ? kColumns[i].zh : kColumns[i].en, bold_);
    worksheet_set_column(sheet_, 6, 6, 60, nullptr);  // the text column wide
    return Status::Ok();
  }
  Status Row(const std::vector<Cell>& cells) override {
    ++row_;
    for (size_t i = 0; i < cells.size(); ++i) {
      lxw_error e = cells[i].number
                        ? worksheet_write_number(sheet_, row_, static_cast<lxw_col_t>(i), cells[i].value, nullptr)
                        : worksheet_write_string(sheet_, row_, static_cast<lxw_col_t>(i), Defused(cells[i].text).c_str(), nullptr);
      // A cell over Excel's 32,767 characters is cut rather than failing the export.
      if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
        e = worksheet_write_string(sheet_, row_, static_cast<lxw_col_t>(i), Defused(cells[i].text.substr(0, 30000)).c_str(), nullptr);
      if (e != LXW_NO_ERROR) return Status::Io(std::string("xlsx: ") + lxw_strerror(e));
    }
    return Status::Ok();
  }
  Status Close() override {
    lxw_error e = workbook_close(book_);
    book_ = nullptr;
    if (e != LXW_NO_ERROR) return Status::Io(std::string("xlsx: ") + lxw_strerror(e));
    return Status::Ok();
  }

 private:
  std::string path_, tmpdir_;
  lxw_workbook* book_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_row_t row_ = 0;
};

}  // namespace

Result<ExportFormat> ParseExportFormat(std::string_view s) {
  if (s == "csv") return ExportFormat::kCsv;
  if (s == "xlsx") return ExportFormat::kXlsx;
  return Status::Invalid("--format: csv or xlsx, not \"" + std::string(s) + "\"");
}

std::string CsvField(std::string_view raw) {
  std::string s = Defused(raw);
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Result<ExportResult> ExportPosts(store::PostStore& posts, store::SearchQuery q, ExportFormat format, const std::string& path,
                                 bool zh, const std::function<void(int64_t)>& progress, int64_t max_rows) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // Staged beside the target (same file system), renamed into place when complete.
  const std::string staged = path + ".part";
  std::unique_ptr<Sink> sink;
  if (format == ExportFormat::kCsv) sink = std::make_unique<CsvSink>(staged);
  else sink = std::make_unique<XlsxSink>(staged, fs::temp_directory_path(ec).string());
  Status st = sink->Header(zh);
  ExportResult r;
  q.relevance = false;
  q.limit = kPage;
  q.before_rowid = 0;
  q.before_time = 0;
  while (st.ok()) {
    auto page = posts.Search(q);
    if (!page.ok()) {
      st = page.status();
      break;
    }
    for (const auto& h : page->hits) {
      if (r.rows >= max_rows) {
        r.truncated = true;
        break;
      }
      st = sink->Row(RowOf(h.post));
      if (!st.ok()) break;
      ++r.rows;
    }
    if (progress) progress(r.rows);
    if (!st.ok() || r.truncated || page->next_cursor.empty()) break;
    st = q.SetCursor(page->next_cursor);
  }
  if (st.ok()) st = sink->Close();
  sink.reset();
  if (st.ok()) {
    fs::rename(staged, path, ec);
    if (ec) st = Status::Io("cannot write " + path + ": " + ec.message());
  }
  if (!st.ok()) {
    fs::remove(staged, ec);
    return st;
  }
  return r;
}

}  // namespace yuqing::report
