#include "ingest/encoding.h"

#include <iconv.h>

#include <cerrno>

#include "text/utf8.h"

namespace yuqing::ingest {
namespace {

Result<std::string> FromGb18030(std::string_view in) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) return Status::Internal("iconv cannot convert GB18030");
  std::string out(in.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
  int err = errno;
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1)) {
    return Status::Invalid("bad encoding: neither UTF-8 nor GBK (invalid byte at offset " +
                           std::to_string(in.size() - src_left) + ")" + (err == E2BIG ? " [too long]" : ""));
  }
  out.resize(out.size() - dst_left);
  return out;
}

}  // namespace

Result<Encoding> ParseEncoding(std::string_view name) {
  if (name == "auto" || name.empty()) return Encoding::kAuto;
  if (name == "utf-8" || name == "utf8" || name == "UTF-8") return Encoding::kUtf8;
  if (name == "gbk" || name == "gb18030" || name == "gb2312" || name == "GBK") return Encoding::kGbk;
  return Status::Invalid("unknown encoding '" + std::string(name) + "': use auto, utf-8 or gbk");
}

Result<std::string> ToUtf8(std::string_view in, Encoding enc, bool* converted) {
  if (converted) *converted = false;
  if (in.size() >= 3 && in.substr(0, 3) == "\xEF\xBB\xBF") in.remove_prefix(3);
  if (enc != Encoding::kGbk && text::IsValidUtf8(in)) return std::string(in);
  if (enc == Encoding::kUtf8) return Status::Invalid("bad encoding: not valid UTF-8 (try --encoding gbk)");
  auto r = FromGb18030(in);
  if (!r.ok()) return r;
  if (!text::IsValidUtf8(*r)) return Status::Invalid("bad encoding: GBK conversion produced invalid text");
  if (converted) *converted = true;
  return r;
}

}  // namespace yuqing::ingest
