#include "incident/wide_text.h"

#include "text/utf8.h"

namespace yuqing::incident {

std::wstring Widen(std::string_view utf8) {
  std::wstring out;
  out.reserve(utf8.size());
  size_t i = 0;
  while (i < utf8.size()) out.push_back(static_cast<wchar_t>(text::DecodeUtf8(utf8, i)));
  return out;
}

std::string Narrow(std::wstring_view wide) {
  std::string out;
  out.reserve(wide.size() * 3);
  for (wchar_t c : wide) text::AppendUtf8(out, static_cast<uint32_t>(c));
  return out;
}

uint32_t BasicFold(uint32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp = cp - 0xFF01 + 0x21;
  if (cp == 0x3000) cp = ' ';
  if (cp >= 'A' && cp <= 'Z') cp = cp - 'A' + 'a';
  return cp;
}

}  // namespace yuqing::incident
