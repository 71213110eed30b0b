#include "analysis/corpus.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace yuqing::analysis {

namespace fs = std::filesystem;

namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::string> ReadGzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return Status::NotFound("cannot read " + path);
  std::string out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, n);
  gzclose(f);
  if (n < 0) return Status::Io("corrupt gzip: " + path);
  return out;
}

void StripBom(std::string& s) {
  if (s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
  }
  return out;
}

std::string Binary(const std::string& v) {
  if (v == "1") return "positive";
  if (v == "0") return "negative";
  return "";
}

void AddBinaryCsv(const std::string& path, int label_col, int text_col, const char* source,
                  std::vector<LabeledText>& out) {
  auto content = ReadFile(path);
  if (!content.ok()) return;
  auto rows = ParseCsv(*content);
  for (size_t i = 1; i < rows.size(); ++i) {
    auto& r = rows[i];
    if (static_cast<int>(r.size()) <= std::max(label_col, text_col)) continue;
    std::string label = Binary(r[label_col]);
    std::string text = r[text_col];
    StripBom(text);
    if (!label.empty() && !text.empty()) out.push_back({std::move(text), std::move(label), "", "", source});
  }
}

void AddTsv(const std::string& path, std::vector<LabeledText>& out) {
  auto content = ReadFile(path);
  if (!content.ok()) return;
  auto lines = Lines(*content);
  for (size_t i = 1; i < lines.size(); ++i) {
    auto tab = lines[i].rfind('\t');
    if (tab == std::string::npos) continue;
    std::string label = Binary(lines[i].substr(tab + 1));
    if (!label.empty()) out.push_back({lines[i].substr(0, tab), std::move(label), "", "", "review"});
  }
}

}  // namespace

std::vector<std::vector<std::string>> ParseCsv(const std::string& content) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  size_t i = content.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  bool any = false;
  for (; i < content.size(); ++i) {
    char c = content[i];
    any = true;
    if (quoted) {
      if (c == '"') {
        if (i + 1 < content.size() && content[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
    } else if (c == '"' && field.empty()) {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < content.size() && content[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      any = false;
    } else {
      field.push_back(c);
    }
  }
  if (any) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string CanonicalSentiment(const std::string& l) {
  if (l == "negative" || l == "neg" || l == "-1" || l == "负面" || l == "0_neg") return "negative";
  if (l == "neutral" || l == "neu" || l == "0" || l == "中性") return "neutral";
  if (l == "positive" || l == "pos" || l == "1" || l == "+1" || l == "正面") return "positive";
  return "";
}

Result<std::vector<LabeledText>> LoadSentimentCorpora(const std::string& dir) {
  std::vector<LabeledText> out;
  AddTsv(dir + "/chnsenticorp_train.tsv", out);
  AddBinaryCsv(dir + "/online_shopping_10_cats.csv", 1, 2, "review", out);
  AddBinaryCsv(dir + "/waimai_10k.csv", 0, 1, "review", out);
  AddBinaryCsv(dir + "/weibo_senti_100k_subset.csv", 0, 1, "weibo", out);
  if (auto c = ReadFile(dir + "/smp2020_ewect_virus_train.json"); c.ok()) {
    auto j = nlohmann::json::parse(*c, nullptr, false);
    if (j.is_array()) {
      for (auto& r : j) {
        if (!r.is_object() || !r.contains("content") || !r["content"].is_string()) continue;
        std::string e = r.value("label", "");
        std::string label = e == "happy" ? "positive"
                            : e == "neural" ? "neutral"
                            : (e == "angry" || e == "sad" || e == "fear") ? "negative"
                                                                           : "";
        if (!label.empty()) out.push_back({r["content"].get<std::string>(), label, "", "", "weibo"});
      }
    }
  }
  if (auto c = ReadFile(dir + "/covid19_weibo_emotion7.csv"); c.ok()) {
    auto rows = ParseCsv(*c);
    for (size_t i = 1; i < rows.size(); ++i) {
      if (rows[i].size() < 2) continue;
      const std::string& e = rows[i].back();
      std::string label = (e == "2" || e == "4") ? "positive"
                          : (e == "0" || e == "1" || e == "5" || e == "6") ? "negative"
                                                                           : "";
      if (!label.empty()) out.push_back({rows[i][0], label, "", "", "weibo"});
    }
  }
  if (out.empty()) return Status::NotFound("no sentiment corpus found in " + dir);
  return out;
}

Result<std::vector<LabeledText>> LoadChnSentiDev(const std::string& path) {
  std::vector<LabeledText> out;
  if (!fs::exists(path)) return Status::NotFound("dev set not found: " + path);
  AddTsv(path, out);
  if (out.empty()) return Status::Invalid("no rows in " + path);
  return out;
}

Result<std::vector<LabeledText>> LoadUserLabeled(const std::string& path, size_t* skipped) {
  YQ_ASSIGN_OR_RETURN(std::string content, ReadFile(path));
  StripBom(content);
  std::vector<LabeledText> out;
  size_t bad = 0;
  for (auto& line : Lines(content)) {
    if (line.empty()) continue;
    std::string text, label;
    if (line[0] == '{') {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.contains("text") && j["text"].is_string()) {
        text = j["text"].get<std::string>();
        if (j.contains("label")) {
          label = j["label"].is_string() ? j["label"].get<std::string>()
                  : j["label"].is_number() ? std::to_string(j["label"].get<int>())
                                           : "";
        }
      }
    } else if (auto tab = line.rfind('\t'); tab != std::string::npos) {
      text = line.substr(0, tab);
      label = line.substr(tab + 1);
    }
    label = CanonicalSentiment(label);
    if (text.empty() || label.empty()) {
      ++bad;
      continue;
    }
    out.push_back({std::move(text), std::move(label), ""});
  }
  if (skipped) *skipped = bad;
  if (out.empty()) return Status::Invalid("no labelled rows in " + path + " (want {\"text\",\"label\"} lines)");
  return out;
}

Result<std::vector<LabeledText>> LoadCedOriginals(const std::string& path) {
  YQ_ASSIGN_OR_RETURN(std::string content, ReadGzip(path));
  std::vector<LabeledText> out;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    if (nl == std::string::npos) nl = content.size();
    auto j = nlohmann::json::parse(std::string_view(content).substr(pos, nl - pos), nullptr, false);
    pos = nl + 1;
    if (!j.is_object() || !j.contains("text") || !j["text"].is_string()) continue;
    std::string label = j.value("label", "");
    if (label != "rumor" && label != "non-rumor") continue;
    std::string id = j.contains("id") && j["id"].is_string() ? j["id"].get<std::string>() : "";
    std::string meta;
    if (j.contains("user") && j["user"].is_object()) {
      const auto& u = j["user"];
      bool verified = u.contains("verified") && u["verified"].is_boolean() && u["verified"].get<bool>();
      int64_t followers = u.contains("followers") && u["followers"].is_number() ? u["followers"].get<int64_t>() : 0;
      meta = AuthorTokens(verified, followers);
    }
    out.push_back({j["text"].get<std::string>(), label, id, meta});
  }
  if (out.empty()) return Status::Invalid("no originals in " + path);
  return out;
}

std::string AuthorTokens(bool verified, int64_t followers) {
  int magnitude = 0;
  for (int64_t f = followers; f >= 10 && magnitude < 9; f /= 10) ++magnitude;
  return std::string(verified ? "__au_v1" : "__au_v0") + " __au_f" + std::to_string(magnitude);
}

bool HeldOut(const LabeledText& row) {
  std::string_view key = row.id.empty() ? std::string_view(row.text) : std::string_view(row.id);
  if (key.substr(0, 3) == "\xEF\xBB\xBF") key.remove_prefix(3);
  return FoldOf(std::string(key)) == 0;
}

Result<std::vector<LabeledText>> LoadNewsTitles(const std::string& path, const std::string& label) {
  YQ_ASSIGN_OR_RETURN(std::string content, ReadFile(path));
  std::vector<LabeledText> out;
  for (auto& line : Lines(content)) {
    auto tab = line.rfind('\t');
    if (tab == std::string::npos || tab == 0) continue;
    out.push_back({line.substr(0, tab), label, "", "", "title:" + line.substr(tab + 1)});
  }
  if (out.empty()) return Status::Invalid("no titles in " + path);
  return out;
}

std::vector<std::string> LoadDevLabelTexts(const std::string& path) {
  std::vector<std::string> out;
  auto content = ReadFile(path);
  if (!content.ok()) return out;
  for (auto& line : Lines(*content)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("text") && j["text"].is_string()) out.push_back(j["text"].get<std::string>());
  }
  return out;
}

int FoldOf(const std::string& id) {
  // FNV-1a: stable across platforms and runs (std::hash is not).
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : id) h = (h ^ c) * 1099511628211ull;
  return static_cast<int>(h % 5);
}

}  // namespace yuqing::analysis
