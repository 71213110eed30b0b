#include "ingest/feed.h"

#include <pugixml.hpp>

#include <cstring>
#include <ctime>
#include <sstream>

#include "ingest/html_text.h"
#include "text/utf8.h"

namespace yuqing::ingest {
namespace {

using nlohmann::json;

std::string ChildText(const pugi::xml_node& n, const char* name) {
  pugi::xml_node c = n.child(name);
  if (!c) return {};
  std::string s = c.text().get();
  if (s.empty()) {  // CDATA or mixed content
    for (auto ch : c.children()) s += ch.value();
  }
  return s;
}

// The body's text (a real HTML parse: RSSHub descriptions are HTML), with its images and links
// kept as fields of the post's extra, so a reader can open them.
void SetBody(json& r, std::string_view html) {
  HtmlContent c = HtmlToContent(html);
  r["text"] = c.text.empty() ? r["title"].get<std::string>() : c.text;
  json extra = json::object();
  if (!c.images.empty()) extra["images"] = c.images;
  if (!c.links.empty()) extra["links"] = c.links;
  if (!extra.empty()) r["extra"] = std::move(extra);
}

std::string NodeXml(const pugi::xml_node& n) {
  std::ostringstream os;
  n.print(os, "", pugi::format_raw);
  return os.str();
}

void EmitRss(const pugi::xml_node& channel, const std::function<void(FeedItem&)>& on_item) {
  std::string feed_title = StripHtml(ChildText(channel, "title"));
  int64_t idx = 0;
  for (pugi::xml_node item : channel.children("item")) {
    FeedItem fi;
    fi.index = idx++;
    fi.offset = item.offset_debug();
    json r = json::object();
    r["source"] = "rss";
    if (!feed_title.empty()) r["channel"] = feed_title;
    std::string guid = ChildText(item, "guid"), link = ChildText(item, "link");
    // The id is what keeps an updated item from being stored twice: the guid, else the link.
    if (!guid.empty()) r["id"] = "rss-" + guid;
    else if (!link.empty()) r["id"] = "rss-" + link;
    if (!link.empty()) r["url"] = link;
    r["title"] = StripHtml(ChildText(item, "title"));
    std::string body = ChildText(item, "content:encoded");
    if (body.empty()) body = ChildText(item, "description");
    SetBody(r, body);
    for (pugi::xml_node enc : item.children("enclosure")) {  // podcasts, RSSHub's pictures
      std::string type = enc.attribute("type").value(), url = enc.attribute("url").value();
      if (type.rfind("image/", 0) == 0 && !url.empty() && r["extra"]["images"].size() < kMaxHtmlUrls)
        r["extra"]["images"].push_back(url);
    }
    std::string date = ChildText(item, "pubDate");
    if (date.empty()) date = ChildText(item, "dc:date");
    if (!date.empty()) {
      auto t = ParseRfc822(date);
      if (t.ok()) r["published_at"] = *t;
      else r["published_at"] = date;  // ISO 8601 or garbage: the post parser decides
    }
    std::string author = ChildText(item, "author");
    if (author.empty()) author = ChildText(item, "dc:creator");
    if (!author.empty()) r["author"] = {{"name", author}};
    fi.record = std::move(r);
    fi.raw = NodeXml(item);
    on_item(fi);
  }
}

void EmitAtom(const pugi::xml_node& feed, const std::function<void(FeedItem&)>& on_item) {
  std::string feed_title = StripHtml(ChildText(feed, "title"));
  int64_t idx = 0;
  for (pugi::xml_node entry : feed.children("entry")) {
    FeedItem fi;
    fi.index = idx++;
    fi.offset = entry.offset_debug();
    json r = json::object();
    r["source"] = "rss";
    if (!feed_title.empty()) r["channel"] = feed_title;
    std::string id = ChildText(entry, "id");
    if (!id.empty()) r["id"] = "atom-" + id;
    std::string href;
    for (pugi::xml_node link : entry.children("link")) {
      std::string rel = link.attribute("rel").value();
      if (rel.empty() || rel == "alternate") {
        href = link.attribute("href").value();
        break;
      }
    }
    if (!href.empty()) r["url"] = href;
    r["title"] = StripHtml(ChildText(entry, "title"));
    std::string body = ChildText(entry, "content");
    if (body.empty()) body = ChildText(entry, "summary");
    SetBody(r, body);
    std::string date = ChildText(entry, "published");
    if (date.empty()) date = ChildText(entry, "updated");
    if (!date.empty()) r["published_at"] = date;
    std::string author = ChildText(entry.child("author"), "name");
    if (!author.empty()) r["author"] = {{"name", author}};
    fi.record = std::move(r);
    fi.raw = NodeXml(entry);
    on_item(fi);
  }
}

}  // namespace

Status ParseFeed(std::string_view xml, const std::function<void(FeedItem&)>& on_item) {
  pugi::xml_document doc;
  pugi::xml_parse_result res = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!res) {
    return Status::Invalid(std::string("bad XML at byte ") + std::to_string(res.offset) + ": " + res.description());
  }
  if (pugi::xml_node rss = doc.child("rss")) {
    EmitRss(rss.child("channel"), on_item);
    return Status::Ok();
  }
  if (pugi::xml_node rdf = doc.child("rdf:RDF")) {  // RSS 1.0: items are siblings of channel
    EmitRss(rdf, on_item);
    return Status::Ok();
  }
  if (pugi::xml_node feed = doc.child("feed")) {
    EmitAtom(feed, on_item);
    return Status::Ok();
  }
  return Status::Invalid("the XML document is neither RSS (<rss>) nor Atom (<feed>)");
}

Result<TimeMs> ParseRfc822(std::string_view s) {
  std::string str(s);
  const char* p = str.c_str();
  if (const char* comma = std::strchr(p, ',')) p = comma + 1;
  int day, year, hh, mm, ss = 0;
  char mon[8] = {0}, zone[16] = {0};
  int n = std::sscanf(p, " %d %3s %d %d:%d:%d %15s", &day, mon, &year, &hh, &mm, &ss, zone);
  if (n < 7) {
    ss = 0;
    n = std::sscanf(p, " %d %3s %d %d:%d %15s", &day, mon, &year, &hh, &mm, zone);
    if (n < 5) return Status::Invalid("bad RFC 822 date: " + str);
  }
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int m = -1;
  for (int i = 0; i < 12; ++i)
    if (strncasecmp(mon, kMonths[i], 3) == 0) m = i;
  if (m < 0) return Status::Invalid("bad month in date: " + str);
  if (year >= 0 && year < 100) year += year < 70 ? 2000 : 1900;
  if (year < 1970 || year > 9999 || day < 1 || day > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 ||
      ss > 60)
    return Status::Invalid("date out of range: " + str);
  int offset_min = 0;
  std::string z = zone;
  if (z.empty() || z == "GMT" || z == "UT" || z == "UTC" || z == "Z") offset_min = 0;
  else if (z[0] == '+' || z[0] == '-') {
    int v = std::atoi(z.c_str() + 1);
    if (z.size() != 5 || v < 0 || v > 1400 || v % 100 > 59) return Status::Invalid("bad zone offset in date: " + str);
    offset_min = (z[0] == '-' ? -1 : 1) * ((v / 100) * 60 + v % 100);
  } else if (z == "CST") offset_min = 8 * 60;
  else if (z == "EST") offset_min = -5 * 60;
  else if (z == "EDT") offset_min = -4 * 60;
  else if (z == "PST") offset_min = -8 * 60;
  else if (z == "PDT") offset_min = -7 * 60;
  else if (z == "MST") offset_min = -7 * 60;
  else if (z == "MDT") offset_min = -6 * 60;
  else return Status::Invalid("unknown time zone '" + z + "' in date: " + str);
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = m;
  tm.tm_mday = day;
  tm.tm_hour = hh;
  tm.tm_min = mm;
  tm.tm_sec = ss;
  return static_cast<TimeMs>(timegm(&tm)) * 1000 - static_cast<TimeMs>(offset_min) * kMinute;
}

std::string StripHtml(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  bool in_tag = false, space = false;
  for (size_t i = 0; i < html.size(); ++i) {
    char c = html[i];
    if (in_tag) {
      if (c == '>') {
        in_tag = false;
        space = true;
      }
      continue;
    }
    if (c == '<') {
      in_tag = true;
      continue;
    }
    if (c == '&') {
      size_t semi = html.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 8) {
        std::string_view ent = html.substr(i + 1, semi - i - 1);
        uint32_t cp = 0;
        if (ent == "amp") cp = '&';
        else if (ent == "lt") cp = '<';
        else if (ent == "gt") cp = '>';
        else if (ent == "quot") cp = '"';
        else if (ent == "apos") cp = '\'';
        else if (ent == "nbsp") cp = ' ';
        else if (!ent.empty() && ent[0] == '#') {
          bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
          cp = static_cast<uint32_t>(std::strtoul(std::string(ent.substr(hex ? 2 : 1)).c_str(), nullptr, hex ? 16 : 10));
          if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
        }
        if (cp) {
          if (space && !out.empty()) out.push_back(' ');
          space = false;
          text::AppendUtf8(out, cp);
          i = semi;
          continue;
        }
      }
    }
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace yuqing::ingest
