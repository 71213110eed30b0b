#include "report/renderers.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>

extern char** environ;

namespace yuqing::report {
namespace {

// The first of `names` found as an executable file on $PATH (or as given when it holds a '/').
std::string OnPath(const std::vector<std::string>& names) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (const auto& n : names) {
    if (n.find('/') != std::string::npos) {
      if (access(n.c_str(), X_OK) == 0) return n;
      continue;
    }
    size_t start = 0;
    while (start <= dirs.size()) {
      size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      std::string cand = dirs.substr(start, end - start) + "/" + n;
      if (end > start && access(cand.c_str(), X_OK) == 0) return cand;
      start = end + 1;
    }
  }
  return "";
}

std::string FileUrl(const std::string& path) {
  return "file://" + std::filesystem::absolute(path).string();
}

// Chromium's flags for a headless run that leaves nothing behind: its own profile in a temp dir.
std::vector<std::string> ChromiumArgs(const std::string& bin, const std::string& profile) {
  return {bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
          "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + profile,
          // Lets the page's scripts (the charts) finish before printing, without waiting for real time.
          "--virtual-time-budget=10000", "--run-all-compositor-stages-before-draw"};
}

bool NonEmptyFile(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) > 0;
}

Status WithProfile(const std::function<Status(const std::string&)>& body) {
  std::error_code ec;
  std::string tmpl = (std::filesystem::temp_directory_path(ec) / "yuqing-chromium-XXXXXX").string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back(0);
  if (!mkdtemp(buf.data())) return Status::Io("cannot create a temporary directory for chromium");
  std::string dir(buf.data());
  Status st = body(dir);
  std::filesystem::remove_all(dir, ec);
  return st;
}

}  // namespace

Result<std::string> FindChromium() {
  std::vector<std::string> names;
  if (const char* env = std::getenv("YUQING_CHROMIUM"); env && *env) names.push_back(env);
  for (const char* n : {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) names.push_back(n);
  std::string bin = OnPath(names);
  if (bin.empty())
    return Status::Unavailable("no chromium for PDF and DOCX charts: install the Debian package chromium "
                               "(apt-get install chromium) or set $YUQING_CHROMIUM; --format html works without it");
  return bin;
}

Result<std::string> FindPandoc() {
  std::string bin = OnPath({"pandoc"});
  if (bin.empty())
    return Status::Unavailable("no pandoc for DOCX: install the Debian package pandoc (apt-get install pandoc); "
                               "--format html works without it");
  return bin;
}

Status RunTool(const std::vector<std::string>& argv, TimeMs timeout) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group, so a timeout kills Chromium's helpers too.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0].c_str(), &fa, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return Status::Io("cannot run " + argv[0]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout);
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0) return Status::Io("waiting for " + argv[0] + " failed");
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      return Status::Unavailable(argv[0] + " took longer than " + FormatDuration(timeout));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return Status::Io(argv[0] + " failed (exit " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
  return Status::Ok();
}

Status HtmlToPdf(const std::string& html_path, const std::string& pdf_path, TimeMs timeout) {
  YQ_ASSIGN_OR_RETURN(std::string bin, FindChromium());
  std::error_code ec;
  std::filesystem::remove(pdf_path, ec);
  return WithProfile([&](const std::string& profile) -> Status {
    auto args = ChromiumArgs(bin, profile);
    args.push_back("--no-pdf-header-footer");
    args.push_back("--print-to-pdf=" + std::filesystem::absolute(pdf_path).string());
    args.push_back(FileUrl(html_path));
    YQ_RETURN_IF_ERROR(RunTool(args, timeout));
    if (!NonEmptyFile(pdf_path)) return Status::Io("chromium wrote no PDF");
    return Status::Ok();
  });
}

Status HtmlToPng(const std::string& html_path, const std::string& png_path, int width, int height, TimeMs timeout) {
  YQ_ASSIGN_OR_RETURN(std::string bin, FindChromium());
  return WithProfile([&](const std::string& profile) -> Status {
    auto args = ChromiumArgs(bin, profile);
    args.push_back("--window-size=" + std::to_string(width) + "," + std::to_string(height));
    args.push_back("--screenshot=" + std::filesystem::absolute(png_path).string());
    args.push_back(FileUrl(html_path));
    YQ_RETURN_IF_ERROR(RunTool(args, timeout));
    if (!NonEmptyFile(png_path)) return Status::Io("chromium wrote no screenshot");
    return Status::Ok();
  });
}

Status HtmlToDocx(const std::string& html_path, const std::string& docx_path, const std::string& resource_dir,
                  TimeMs timeout) {
  YQ_ASSIGN_OR_RETURN(std::string bin, FindPandoc());
  YQ_RETURN_IF_ERROR(RunTool({bin, "--from=html", "--to=docx", "--resource-path=" + resource_dir,
                              "--output=" + docx_path, html_path},
                             timeout));
  if (!NonEmptyFile(docx_path)) return Status::Io("pandoc wrote no DOCX");
  return Status::Ok();
}

}  // namespace yuqing::report
