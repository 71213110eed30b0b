#include "incident/data_files.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>
#include <sstream>

#include "incident/embedded_data.h"

namespace yuqing::incident {
namespace {

bool ReadAll(const std::filesystem::path& p, std::string& out) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) return false;
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

std::filesystem::path ExeDir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return {};
  buf[n] = 0;
  return std::filesystem::path(buf).parent_path();
}

}  // namespace

Result<DataFile> ReadDataFile(std::string_view name) {
  std::string_view builtin = EmbeddedDataFile(name);
  if (builtin.empty()) return Status::NotFound("no incident data file named " + std::string(name));
  std::vector<std::filesystem::path> dirs;
  if (const char* env = std::getenv("YUQING_INCIDENT_DATA"); env && *env) dirs.emplace_back(env);
  if (auto exe = ExeDir(); !exe.empty()) dirs.push_back(exe / "share" / "incident");
  dirs.push_back(std::filesystem::path(YUQING_SOURCE_DIR) / "src" / "incident" / "data");
  DataFile f;
  for (const auto& d : dirs) {
    if (ReadAll(d / std::string(name), f.text)) {
      f.origin = (d / std::string(name)).string();
      return f;
    }
  }
  f.text = std::string(builtin);
  f.origin = "built-in";
  return f;
}

}  // namespace yuqing::incident
