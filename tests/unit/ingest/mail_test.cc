#include "ingest/mail.h"

#include <gtest/gtest.h>

#include "ingest/imap.h"

namespace yuqing::ingest {
namespace {

TEST(Mail, QuotedPrintableSubjectPlainBodyAttachmentsAndSender) {
  const std::string raw =
      "From: =?UTF-8?B?5byg5LiJ?= <zhangsan@example.cn>\r\nTo: hotline@example.gov.cn\r\n"
      "Subject: =?UTF-8?Q?=E5=81=9C=E6=B0=B4?= notice\r\nDate: Mon, 01 Jun 2026 09:00:00 +0800\r\n"
      "Message-ID: <a1@example.cn>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
      "--B\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
      "=E6=98=8E=E5=A4=A9=E5=81=9C=E6=B0=B4\r\n--B\r\nContent-Type: application/pdf\r\n"
      "Content-Disposition: attachment; filename=\"notice.pdf\"\r\n\r\nJVBERi0=\r\n--B--\r\n";
  auto r = MailToRecord(raw, "fallback", "INBOX");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["id"], "mail-a1@example.cn");
  EXPECT_EQ((*r)["title"], "停水 notice");
  EXPECT_EQ((*r)["text"], "明天停水");
  EXPECT_EQ((*r)["author"]["name"], "张三");
  EXPECT_EQ((*r)["author"]["id"], "zhangsan@example.cn");
  EXPECT_EQ((*r)["published_at"], 1780275600000LL);
  EXPECT_EQ((*r)["extra"]["attachments"], nlohmann::json{"notice.pdf"});
  EXPECT_EQ((*r)["source"], "email");
  EXPECT_EQ((*r)["channel"], "INBOX");
}

TEST(Mail, NoMessageIdUsesTheFallbackAndAnEmptyMailHasNoText) {
  auto r = MailToRecord("From: a@b.cn\r\n\r\n", "mail-7-3", "INBOX");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["id"], "mail-7-3");
  EXPECT_EQ((*r)["text"], "");
}

TEST(Imap, MailboxFromUrl) {
  EXPECT_EQ(ImapMailbox("imaps://h:993/INBOX"), "INBOX");
  EXPECT_EQ(ImapMailbox("imaps://h:993/"), "INBOX");
  EXPECT_EQ(ImapMailbox("imaps://h"), "INBOX");
  EXPECT_EQ(ImapMailbox("imaps://h/Complaints;UIDVALIDITY=5"), "Complaints");
}

}  // namespace
}  // namespace yuqing::ingest
