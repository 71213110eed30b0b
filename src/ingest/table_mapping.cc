#include "ingest/table_mapping.h"

#include <zip.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>

#include <pugixml.hpp>

#include "ingest/csv.h"
#include <yaml-cpp/yaml.h>

namespace yuqing::ingest {
namespace {

using nlohmann::json;

ParsedPost Refuse(std::string code, std::string reason) {
  ParsedPost p;
  p.error = {std::move(code), std::move(reason)};
  return p;
}

Result<std::string> Scalar(const YAML::Node& n, const char* key) {
  if (!n.IsScalar()) return Status::Invalid(std::string("mapping: '") + key + "' must be a column name");
  return n.as<std::string>();
}

Status ReadText(const YAML::Node& n, TableMapping& m) {
  if (n.IsScalar()) {
    m.text.push_back(n.as<std::string>());
    return Status::Ok();
  }
  if (!n.IsSequence() || n.size() == 0) return Status::Invalid("mapping: 'text' must be a column or a list of columns");
  for (const auto& c : n) {
    YQ_ASSIGN_OR_RETURN(auto col, Scalar(c, "text"));
    m.text.push_back(col);
  }
  return Status::Ok();
}

Status ReadMapping(const YAML::Node& root, TableMapping& m) {
  if (!root.IsMap()) return Status::Invalid("mapping: expected keys such as text, time, source");
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (key == "text") {
      YQ_RETURN_IF_ERROR(ReadText(v, m));
    } else if (key == "time") {
      if (v.IsMap()) {
        if (!v["column"]) return Status::Invalid("mapping: 'time' needs a column");
        YQ_ASSIGN_OR_RETURN(m.time_column, Scalar(v["column"], "time.column"));
        if (v["format"]) {
          YQ_ASSIGN_OR_RETURN(m.time_format, Scalar(v["format"], "time.format"));
        }
      } else {
        YQ_ASSIGN_OR_RETURN(m.time_column, Scalar(v, "time"));
      }
    } else if (key == "author") {
      if (v.IsScalar()) {
        m.author_name = v.as<std::string>();
      } else if (v.IsMap()) {
        if (v["name"]) {
          YQ_ASSIGN_OR_RETURN(m.author_name, Scalar(v["name"], "author.name"));
        }
        if (v["id"]) {
          YQ_ASSIGN_OR_RETURN(m.author_id, Scalar(v["id"], "author.id"));
        }
      } else {
        return Status::Invalid("mapping: 'author' must be a column or {name, id}");
      }
    } else if (key == "fields" || key == "extra") {
      if (key == "fields" && !v.IsMap()) return Status::Invalid("mapping: 'fields' must map post fields to columns");
      if (key == "extra" && !v.IsSequence()) return Status::Invalid("mapping: 'extra' must be a list of columns");
      for (const auto& e : v) {
        if (key == "fields") m.fields[e.first.as<std::string>()] = e.second.as<std::string>();
        else m.extra.push_back(e.as<std::string>());
      }
    } else {
      std::string* dst = key == "source" ? &m.source : key == "source_column" ? &m.source_column
                         : key == "id" ? &m.id : key == "title" ? &m.title : key == "region" ? &m.region
                         : key == "channel" ? &m.channel : key == "sheet" ? &m.sheet : nullptr;
      if (!dst)
        return Status::Invalid("mapping: unknown key '" + key +
                               "' (known: source, source_column, id, text, title, time, author, region, channel, fields, extra, sheet)");
      YQ_ASSIGN_OR_RETURN(*dst, Scalar(v, key.c_str()));
    }
  }
  if (m.text.empty()) return Status::Invalid("mapping: 'text' is required (the column or columns of the post's text)");
  return Status::Ok();
}

// Excel stores dates as days since 1899-12-30; the exports we read are in Beijing time.
std::optional<TimeMs> ExcelSerial(const std::string& s) {
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || !std::isfinite(d) || d < 1 || d > 2958465) return std::nullopt;
  if (s.find('.') == std::string::npos && s.size() >= 9) return std::nullopt;  // Unix seconds
  return static_cast<TimeMs>(std::llround((d - 25569.0) * 86400000.0)) - 8 * kHour;
}

}  // namespace

std::vector<std::string> TableMapping::Columns() const {
  std::vector<std::string> out = text;
  for (const std::string* s : {&source_column, &id, &title, &region, &channel, &author_id, &author_name, &time_column})
    if (!s->empty()) out.push_back(*s);
  for (const auto& [f, c] : fields) out.push_back(c);
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

Result<TableMapping> ParseTableMapping(const std::string& yaml_text) {
  TableMapping m;
  try {
    YQ_RETURN_IF_ERROR(ReadMapping(YAML::Load(yaml_text), m));
  } catch (const YAML::Exception& e) {
    return Status::Invalid(std::string("mapping: ") + e.what());
  }
  return m;
}

Result<TableMapping> LoadTableMapping(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open the mapping file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto m = ParseTableMapping(ss.str());
  if (!m.ok()) return Status::Invalid(path + ": " + m.status().message());
  return m;
}

Status CheckHeader(const TableMapping& m, const std::vector<std::string>& header, const std::string& file) {
  for (const auto& c : m.Columns()) {
    if (std::find(header.begin(), header.end(), c) != header.end()) continue;
    std::string have;
    for (const auto& h : header) have += (have.empty() ? "" : ", ") + h;
    return Status::Invalid("column '" + c + "' of the mapping is not in " + file + " (its columns: " + have + ")");
  }
  return Status::Ok();
}

Result<TimeMs> ParseTimeWithFormat(const std::string& text, const std::string& format) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), format.c_str(), &tm);
  while (end && *end == ' ') ++end;
  if (!end || *end != '\0') return Status::Invalid("'" + text + "' does not match the format " + format);
  return static_cast<TimeMs>(timegm(&tm)) * 1000 - 8 * kHour;
}

ParsedPost TableMappingAdapter::Convert(const json& row, const ParseDefaults& d) const {
  if (!row.is_object()) return Refuse("bad_field", "a table row must be an object");
  auto cell = [&](const std::string& c) { return c.empty() ? std::string() : FirstString(row, {c.c_str()}); };
  json j = json::object();
  std::string text;
  for (const auto& c : m_.text) {
    std::string v = cell(c);
    if (!v.empty()) text += (text.empty() ? "" : "\n") + v;
  }
  j["text"] = text;
  if (!m_.id.empty()) j["id"] = cell(m_.id);
  std::string source = m_.source_column.empty() ? m_.source : cell(m_.source_column);
  if (!source.empty()) j["source"] = source;
  for (auto [key, col] : {std::pair{"title", &m_.title}, {"region", &m_.region}, {"channel", &m_.channel}})
    if (!col->empty()) j[key] = cell(*col);
  json author = json::object();
  if (!m_.author_id.empty()) author["id"] = cell(m_.author_id);
  if (!m_.author_name.empty()) author["name"] = cell(m_.author_name);
  if (!author.empty()) j["author"] = author;
  for (const auto& [field, col] : m_.fields) {
    auto dot = field.find('.');
    if (dot == std::string::npos) j[field] = cell(col);
    else j[field.substr(0, dot)][field.substr(dot + 1)] = cell(col);
  }
  if (!m_.time_column.empty()) {
    std::string t = cell(m_.time_column);
    if (t.empty()) return Refuse("bad_date", "the time column '" + m_.time_column + "' is empty");
    if (!m_.time_format.empty()) {
      auto ms = ParseTimeWithFormat(t, m_.time_format);
      if (!ms.ok()) return Refuse("bad_date", m_.time_column + ": " + ms.status().message());
      j["published_at"] = *ms;
    } else if (auto serial = ExcelSerial(t)) {
      j["published_at"] = *serial;
    } else {
      j["published_at"] = t;
    }
  }
  json extra = json::object();
  for (const auto& c : m_.extra) {
    std::string v = cell(c);
    if (!v.empty()) extra[c] = v;
  }
  if (!extra.empty()) j["extra"] = extra;
  auto out = PostFromJson(j, d);
  if (!out.ok && out.error.code == "missing_text") {
    std::string cols;
    for (const auto& c : m_.text) cols += (cols.empty() ? "" : ", ") + c;
    out.error.reason = "the text columns (" + cols + ") are empty";
  }
  return out;
}

namespace {

constexpr zip_uint64_t kMaxXlsxPart = 512ull << 20;

Result<std::string> ZipPart(zip_t* z, const std::string& name, bool required) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(z, name.c_str(), 0, &st) != 0) {
    if (!required) return std::string();
    return Status::Invalid("not an XLSX workbook: " + name + " is missing");
  }
  if (st.size > kMaxXlsxPart) return Status::TooLarge(name + " is larger than 512 MiB");
  zip_file_t* f = zip_fopen(z, name.c_str(), 0);
  if (!f) return Status::Invalid("cannot read " + name + " in the workbook");
  std::string data(static_cast<size_t>(st.size), '\0');
  zip_int64_t n = zip_fread(f, data.data(), st.size);
  zip_fclose(f);
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) return Status::Invalid("cannot read " + name + " in the workbook");
  return data;
}

std::string SharedText(const pugi::xml_node& si) {
  std::string s;
  for (auto t : si.select_nodes(".//*[local-name()='t']")) s += t.node().text().get();
  return s;
}

// An element's name without its namespace prefix ("x:c" -> "c").
std::string Local(const char* name) {
  std::string n(name);
  size_t colon = n.find(':');
  return colon == std::string::npos ? n : n.substr(colon + 1);
}

// "BC12" -> 54 (0-based column).
size_t ColumnIndex(const char* ref) {
  size_t col = 0;
  for (; *ref >= 'A' && *ref <= 'Z'; ++ref) col = col * 26 + static_cast<size_t>(*ref - 'A' + 1);
  return col == 0 ? 0 : col - 1;
}

Result<std::string> SheetPath(zip_t* z, const std::string& sheet) {
  YQ_ASSIGN_OR_RETURN(auto wb, ZipPart(z, "xl/workbook.xml", true));
  YQ_ASSIGN_OR_RETURN(auto rels, ZipPart(z, "xl/_rels/workbook.xml.rels", true));
  pugi::xml_document wdoc, rdoc;
  if (!wdoc.load_buffer(wb.data(), wb.size()) || !rdoc.load_buffer(rels.data(), rels.size()))
    return Status::Invalid("not an XLSX workbook: its workbook.xml does not parse");
  std::string rid, names;
  for (auto s : wdoc.select_nodes("//*[local-name()='sheet']")) {
    std::string name = s.node().attribute("name").value();
    names += (names.empty() ? "" : ", ") + name;
    if (rid.empty() && (sheet.empty() || name == sheet)) {
      for (auto a : s.node().attributes())
        if (Local(a.name()) == "id" && std::string(a.name()) != "id") rid = a.value();  // r:id
    }
  }
  if (rid.empty()) return Status::Invalid("the workbook has no sheet " + (sheet.empty() ? std::string("at all") : "'" + sheet + "' (its sheets: " + names + ")"));
  for (auto r : rdoc.select_nodes("//*[local-name()='Relationship']")) {
    if (rid != r.node().attribute("Id").value()) continue;
    std::string target = r.node().attribute("Target").value();
    return target.rfind("/", 0) == 0 ? target.substr(1) : "xl/" + target;
  }
  return Status::Invalid("the workbook's sheet " + rid + " has no part");
}

Status ReadSheet(zip_t* z, const std::string& sheet, const std::function<Status(XlsxRow&)>& on_row) {
  YQ_ASSIGN_OR_RETURN(auto part, SheetPath(z, sheet));
  YQ_ASSIGN_OR_RETURN(auto strings_xml, ZipPart(z, "xl/sharedStrings.xml", false));
  std::vector<std::string> strings;
  if (!strings_xml.empty()) {
    pugi::xml_document sdoc;
    if (!sdoc.load_buffer(strings_xml.data(), strings_xml.size())) return Status::Invalid("the workbook's shared strings do not parse");
    for (auto si : sdoc.select_nodes("/*[local-name()='sst']/*[local-name()='si']")) strings.push_back(SharedText(si.node()));
  }
  YQ_ASSIGN_OR_RETURN(auto sheet_xml, ZipPart(z, part, true));
  pugi::xml_document doc;
  auto parsed = doc.load_buffer(sheet_xml.data(), sheet_xml.size());
  if (!parsed) return Status::Invalid(part + " does not parse at byte " + std::to_string(parsed.offset));
  int64_t next = 1;
  for (auto rn : doc.select_nodes("//*[local-name()='sheetData']/*[local-name()='row']")) {
    XlsxRow row;
    row.line = rn.node().attribute("r").as_llong(next);
    next = row.line + 1;
    for (auto c : rn.node().children()) {
      if (Local(c.name()) != "c") continue;
      size_t col = c.attribute("r") ? ColumnIndex(c.attribute("r").value()) : row.cells.size();
      if (col > 16384) continue;
      std::string type = c.attribute("t").value();
      std::string v;
      pugi::xml_node vn, isn;
      for (auto ch : c.children()) {
        std::string n = Local(ch.name());
        if (n == "v") vn = ch;
        if (n == "is") isn = ch;
      }
      if (type == "s") {
        size_t i = static_cast<size_t>(vn.text().as_ullong(~0ull));
        v = i < strings.size() ? strings[i] : "";
      } else if (type == "inlineStr") {
        v = SharedText(isn);
      } else if (type == "b") {
        v = std::string(vn.text().get()) == "1" ? "TRUE" : "FALSE";
      } else {
        v = vn.text().get();
      }
      if (row.cells.size() <= col) row.cells.resize(col + 1);
      row.cells[col] = std::move(v);
    }
    YQ_RETURN_IF_ERROR(on_row(row));
  }
  return Status::Ok();
}

}  // namespace

Status ReadXlsx(const std::string& path, const std::string& sheet, const std::function<Status(XlsxRow&)>& on_row) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (!z) return Status::Invalid("cannot open " + path + " as an XLSX workbook (zip error " + std::to_string(err) + ")");
  Status st = ReadSheet(z, sheet, on_row);
  zip_discard(z);
  if (!st.ok()) return Status(st.code(), path + ": " + st.message());
  return st;
}

namespace {

bool Blank(const XlsxRow& r) {
  return std::all_of(r.cells.begin(), r.cells.end(), [](const std::string& c) { return c.empty(); });
}

std::vector<std::string> Trimmed(std::vector<std::string> cells) {
  for (auto& h : cells) {
    while (!h.empty() && (h.back() == ' ' || h.back() == '\r' || h.back() == '\n')) h.pop_back();
    while (!h.empty() && h.front() == ' ') h.erase(h.begin());
  }
  return cells;
}

// Stops a read once the header is found.
const Status kHeaderFound = Status(Code::kConflict, "header found");

}  // namespace

Status ReadXlsxFile(const std::string& path, const std::string& sheet, const ReadOptions& o, const ItemSink& sink) {
  std::vector<std::string> header, fields;
  return ReadXlsx(path, sheet, [&](XlsxRow& row) -> Status {
    if (Blank(row)) return Status::Ok();
    if (header.empty()) {
      header = Trimmed(row.cells);
      fields = o.adapter ? header : MapCsvHeader(header, o.column_map);
      return Status::Ok();
    }
    json j = json::object();
    std::map<std::string, std::string> rec;
    for (size_t i = 0; i < fields.size() && i < row.cells.size(); ++i) {
      if (fields[i].empty()) continue;
      j[header[i]] = row.cells[i];
      rec[fields[i]] = row.cells[i];
    }
    ParsedPost pp = o.adapter ? o.adapter->Convert(j, o.defaults) : PostFromFields(rec, o.defaults);
    Item it;
    it.line = row.line;
    if (pp.ok) {
      it.ok = true;
      it.post = std::move(pp.post);
    } else {
      std::string raw = j.dump(-1, ' ', false, json::error_handler_t::replace);
      if (raw.size() > kMaxQuarantineRawBytes) raw.resize(kMaxQuarantineRawBytes);
      it.bad = {path, row.line, 0, pp.error.code, pp.error.reason, std::move(raw), "xlsx", o.defaults.now};
    }
    return sink(it);
  });
}

Result<std::vector<std::string>> ReadHeader(const std::string& path, const std::string& sheet) {
  std::vector<std::string> header;
  auto ends = [&](const char* e) {
    std::string x(e);
    return path.size() >= x.size() && path.compare(path.size() - x.size(), x.size(), x) == 0;
  };
  if (ends(".xlsx")) {
    Status st = ReadXlsx(path, sheet, [&](XlsxRow& row) -> Status {
      if (Blank(row)) return Status::Ok();
      header = Trimmed(row.cells);
      return kHeaderFound;
    });
    if (!st.ok() && st.code() != Code::kConflict) return st;
    return header;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path);
  std::string head(256 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  std::string_view h = head;
  if (h.substr(0, 3) == "\xEF\xBB\xBF") h.remove_prefix(3);
  ParseCsv(h, GuessDelimiter(h), [&](CsvRow& row) {
    header = Trimmed(row.fields);
    return false;
  });
  return header;
}

}  // namespace yuqing::ingest
