#include "text/normalizer.h"

#include <opencc/opencc.h>

#include "text/utf8.h"

namespace yuqing::text {
namespace {

void FoldWidthAndCase(std::vector<uint32_t>& table) {
  for (uint32_t cp = 0xFF01; cp <= 0xFF5E; ++cp) table[cp] = cp - 0xFEE0;  // full-width ASCII
  table[0x3000] = ' ';                                                      // ideographic space
  for (uint32_t cp = 'A'; cp <= 'Z'; ++cp) table[cp] = cp + 32;
  for (uint32_t cp = 0xFF21; cp <= 0xFF3A; ++cp) table[cp] = cp - 0xFEE0 + 32;  // Ａ -> a
}

}  // namespace

Result<std::shared_ptr<const Normalizer>> Normalizer::Create(const std::string& opencc_config) {
  std::shared_ptr<Normalizer> n(new Normalizer());
  n->table_.resize(0x10000);
  for (uint32_t cp = 0; cp < n->table_.size(); ++cp) n->table_[cp] = cp;
  try {
    opencc::SimpleConverter converter(opencc_config);
    // Convert every CJK character in one call: characters are separated by newlines so that
    // OpenCC's phrase dictionary cannot join neighbours; one character maps to one character.
    std::string batch;
    std::vector<uint32_t> cps;
    auto add_range = [&](uint32_t lo, uint32_t hi) {
      for (uint32_t cp = lo; cp <= hi; ++cp) {
        AppendUtf8(batch, cp);
        batch.push_back('\n');
        cps.push_back(cp);
      }
    };
    add_range(0x3400, 0x4DBF);
    add_range(0x4E00, 0x9FFF);
    add_range(0xF900, 0xFAFF);
    std::string converted = converter.Convert(batch);
    size_t i = 0, k = 0;
    while (i < converted.size() && k < cps.size()) {
      size_t start = i;
      uint32_t first = DecodeUtf8(converted, i);
      // Anything but exactly one code point before the newline keeps the character unchanged.
      if (i < converted.size() && converted[i] == '\n') {
        if (first < 0x10000 && first != 0xFFFD) n->table_[cps[k]] = first;
        ++i;
      } else {
        i = converted.find('\n', start);
        if (i == std::string::npos) break;
        ++i;
      }
      ++k;
    }
  } catch (const std::exception& e) {
    return Status::Io(std::string("OpenCC could not load ") + opencc_config + ": " + e.what());
  }
  FoldWidthAndCase(n->table_);
  return std::shared_ptr<const Normalizer>(n);
}

void Normalizer::Normalize(std::string_view in, std::string& out) const {
  out.reserve(out.size() + in.size());
  for (size_t i = 0; i < in.size();) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {  // ASCII fast path
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : static_cast<char>(c));
      ++i;
      continue;
    }
    AppendUtf8(out, Fold(DecodeUtf8(in, i)));
  }
}

void Normalizer::NormalizeWithOffsets(std::string_view in, std::string& out,
                                      std::vector<uint32_t>& offsets) const {
  out.clear();
  offsets.clear();
  out.reserve(in.size());
  offsets.reserve(in.size() + 1);
  for (size_t i = 0; i < in.size();) {
    size_t start = i;
    uint32_t cp = Fold(DecodeUtf8(in, i));
    size_t before = out.size();
    AppendUtf8(out, cp);
    offsets.insert(offsets.end(), out.size() - before, static_cast<uint32_t>(start));
  }
  offsets.push_back(static_cast<uint32_t>(in.size()));
}

}  // namespace yuqing::text
