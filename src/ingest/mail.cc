#include "ingest/mail.h"

#include <gmime/gmime.h>

#include <memory>
#include <mutex>
#include <vector>

#include "ingest/html_text.h"

namespace yuqing::ingest {
namespace {

using nlohmann::json;

// g_mime_init sets up GMime's process-wide charset tables once; everything after is per call.
void InitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

template <typename T>
struct GUnref {
  void operator()(T* p) const {
    if (p) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GUnref<T>>;

// The part's content, transfer-decoded and converted to UTF-8 from its charset.
std::string PartText(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return {};
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  GPtr<GMimeStream> filtered(g_mime_stream_filter_new(mem.get()));
  const char* charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
  if (charset && g_ascii_strcasecmp(charset, "utf-8") != 0) {
    GMimeFilter* conv = g_mime_filter_charset_new(charset, "UTF-8");
    if (conv) {
      g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), conv);
      g_object_unref(conv);
    }
  }
  g_mime_data_wrapper_write_to_stream(content, filtered.get());
  g_mime_stream_flush(filtered.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  return bytes ? std::string(reinterpret_cast<const char*>(bytes->data), bytes->len) : std::string();
}

struct Walk {
  std::string plain, html;
  std::vector<std::string> attachments;
};

void Visit(GMimeObject* parent, GMimeObject* part, gpointer data) {
  (void)parent;
  auto* w = static_cast<Walk*>(data);
  if (!GMIME_IS_PART(part)) return;
  GMimePart* p = GMIME_PART(part);
  if (g_mime_part_is_attachment(p)) {
    const char* name = g_mime_part_get_filename(p);
    if (w->attachments.size() < 100) w->attachments.push_back(name ? name : "(unnamed)");
    return;
  }
  GMimeContentType* ct = g_mime_object_get_content_type(part);
  if (g_mime_content_type_is_type(ct, "text", "plain") && w->plain.empty()) w->plain = PartText(p);
  else if (g_mime_content_type_is_type(ct, "text", "html") && w->html.empty()) w->html = PartText(p);
  else if (!g_mime_content_type_is_type(ct, "text", "*")) {
    const char* name = g_mime_part_get_filename(p);  // an inline picture with a name is still a file
    if (name && w->attachments.size() < 100) w->attachments.push_back(name);
  }
}

std::string Trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t\r\n"));
  s.erase(s.find_last_not_of(" \t\r\n") + 1);
  return s;
}

}  // namespace

Result<json> MailToRecord(std::string_view raw, const std::string& fallback_id, const std::string& mailbox) {
  InitOnce();
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GPtr<GMimeMessage> msg(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!msg) return Status::Invalid("not an e-mail message");
  json r = json::object();
  r["source"] = "email";
  r["channel"] = mailbox;
  const char* message_id = g_mime_message_get_message_id(msg.get());
  r["id"] = message_id && *message_id ? "mail-" + std::string(message_id) : fallback_id;
  const char* subject = g_mime_message_get_subject(msg.get());
  r["title"] = subject ? Trim(subject) : "";
  if (InternetAddressList* from = g_mime_message_get_from(msg.get());
      from && internet_address_list_length(from) > 0) {
    InternetAddress* a = internet_address_list_get_address(from, 0);
    json author = json::object();
    if (const char* name = internet_address_get_name(a); name && *name) author["name"] = name;
    if (INTERNET_ADDRESS_IS_MAILBOX(a)) author["id"] = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
    if (!author.contains("name") && author.contains("id")) author["name"] = author["id"];
    if (!author.empty()) r["author"] = author;
  }
  if (GDateTime* date = g_mime_message_get_date(msg.get())) {
    r["published_at"] = static_cast<int64_t>(g_date_time_to_unix(date)) * 1000;
  }
  Walk w;
  g_mime_message_foreach(msg.get(), Visit, &w);
  std::string text = Trim(w.plain);
  if (text.empty() && !w.html.empty()) text = HtmlToContent(w.html).text;
  r["text"] = text.empty() ? r["title"] : json(text);
  json extra = json::object();
  if (!w.attachments.empty()) extra["attachments"] = w.attachments;
  if (InternetAddressList* to = g_mime_message_get_addresses(msg.get(), GMIME_ADDRESS_TYPE_TO);
      to && internet_address_list_length(to) > 0) {
    char* s = internet_address_list_to_string(to, nullptr, FALSE);
    if (s) {
      extra["to"] = s;
      g_free(s);
    }
  }
  if (!extra.empty()) r["extra"] = extra;
  return r;
}

}  // namespace yuqing::ingest
