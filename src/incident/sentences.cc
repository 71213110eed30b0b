#include "incident/sentences.h"

namespace yuqing::incident {
namespace {

bool IsTerminator(wchar_t c) {
  return c == L'。' || c == L'！' || c == L'？' || c == L'!' || c == L'?' || c == L'；' || c == L';' ||
         c == L'\n' || c == L'\r' || c == L'…';
}

bool IsCloser(wchar_t c) {
  return c == L'”' || c == L'’' || c == L'」' || c == L'』' || c == L'）' || c == L')' || c == L'"' ||
         c == L'\'' || c == L'》' || c == L'】';
}

bool IsBlank(wchar_t c) { return c == L' ' || c == L'\t' || c == L'\u3000' || c == L'\n' || c == L'\r'; }

bool IsComma(wchar_t c) { return c == L'，' || c == L',' || c == L'、' || c == L'：' || c == L':'; }

void Emit(const std::wstring& t, size_t b, size_t e, std::vector<SentenceSpan>& out) {
  while (b < e && IsBlank(t[b])) ++b;
  while (e > b && IsBlank(t[e - 1])) --e;
  if (b < e) out.push_back({b, e});
}

}  // namespace

std::vector<SentenceSpan> SplitSentences(const std::wstring& t, size_t max_chars) {
  std::vector<SentenceSpan> out;
  size_t begin = 0;
  size_t i = 0;
  const size_t n = t.size();
  while (i < n) {
    wchar_t c = t[i];
    bool end_here = IsTerminator(c);
    if (c == L'.') end_here = i + 1 == n || IsBlank(t[i + 1]);
    if (!end_here && i - begin >= max_chars && (IsComma(c) || i - begin >= 2 * max_chars)) end_here = true;
    if (end_here) {
      size_t j = i + 1;
      // Runs of terminators ("！！", "……", "?!") and closing quotes belong to this sentence.
      while (j < n && ((IsTerminator(t[j]) && t[j] != L'\n' && t[j] != L'\r') || IsCloser(t[j]))) ++j;
      Emit(t, begin, j, out);
      begin = j;
      i = j;
      continue;
    }
    ++i;
  }
  Emit(t, begin, n, out);
  return out;
}

}  // namespace yuqing::incident
