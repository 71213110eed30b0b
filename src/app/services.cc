#include "app/services.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "analysis/model_paths.h"
#include "store/user_dict_store.h"

namespace yuqing::app {

size_t DefaultWorkers() {
  unsigned n = std::thread::hardware_concurrency();
  return std::clamp<size_t>(n == 0 ? 1 : n, 1, 8);
}

Result<std::unique_ptr<Services>> Services::Open(const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return Status::Io("cannot create data directory " + data_dir + ": " + ec.message());
  std::unique_ptr<Services> s(new Services());
  s->data_dir_ = fs::absolute(data_dir, ec).string();
  s->clock_ = std::make_shared<SystemClock>();
  YQ_ASSIGN_OR_RETURN(s->db_, store::Database::Open(s->db_path()));
  return s;
}

Result<std::shared_ptr<const text::Normalizer>> Services::normalizer() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!normalizer_) {
    YQ_ASSIGN_OR_RETURN(normalizer_, text::Normalizer::Create());
  }
  return normalizer_;
}

namespace {

// The dictionary folder of a data directory with user words: cppjieba's files linked from the
// shared folder, and its user dictionary followed by ours (written whole, then renamed, so a
// process loading it never sees half).
Result<std::string> UserDictDir(const std::string& data_dir, const std::vector<std::string>& words) {
  namespace fs = std::filesystem;
  const std::string base = text::DefaultDictDir(), dir = data_dir + "/dict";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Io("cannot create " + dir + ": " + ec.message());
  for (const char* f : {"jieba.dict.utf8", "hmm_model.utf8", "idf.utf8", "stop_words.utf8"}) {
    fs::path link = fs::path(dir) / f, target = fs::absolute(fs::path(base) / f, ec);
    if (fs::read_symlink(link, ec) == target) continue;
    fs::remove(link, ec);
    fs::create_symlink(target, link, ec);
    if (ec) return Status::Io("cannot link " + link.string() + ": " + ec.message());
  }
  std::ifstream in(base + "/user.dict.utf8", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!text.empty() && text.back() != '\n') text += '\n';
  for (const auto& w : words) text += w + "\n";
  const std::string tmp = dir + "/user.dict.utf8.tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return Status::Io("cannot write " + tmp);
  }
  fs::rename(tmp, dir + "/user.dict.utf8", ec);
  if (ec) return Status::Io("cannot write " + dir + "/user.dict.utf8: " + ec.message());
  return dir;
}

// The segmenter for a list of user words (cppjieba's own dictionary alone for none).
Result<std::shared_ptr<const text::Segmenter>> BuildSegmenter(const std::string& data_dir,
                                                              const std::vector<std::string>& words) {
  if (words.empty()) return text::Segmenter::Create();
  YQ_ASSIGN_OR_RETURN(auto dir, UserDictDir(data_dir, words));
  return text::Segmenter::Create(dir);
}

}  // namespace

Result<std::shared_ptr<text::SegmenterSlot>> Services::segmenter_slot() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!slot_) {
    // A connection of its own: the caller's may be inside a transaction.
    YQ_ASSIGN_OR_RETURN(auto db, OpenDatabase());
    YQ_ASSIGN_OR_RETURN(auto words, store::UserDictStore::ReadWords(*db));
    YQ_ASSIGN_OR_RETURN(auto seg, BuildSegmenter(data_dir_, words));
    slot_ = std::make_shared<text::SegmenterSlot>(std::move(seg), store::DictVersion(words));
  }
  return slot_;
}

Result<std::shared_ptr<const text::Segmenter>> Services::segmenter() {
  YQ_ASSIGN_OR_RETURN(auto slot, segmenter_slot());
  return slot->Get();
}

Result<std::string> Services::ReloadSegmenter() {
  std::lock_guard<std::mutex> reload(reload_mu_);
  YQ_ASSIGN_OR_RETURN(auto slot, segmenter_slot());
  YQ_ASSIGN_OR_RETURN(auto db, OpenDatabase());
  YQ_ASSIGN_OR_RETURN(auto words, store::UserDictStore::ReadWords(*db));
  std::string version = store::DictVersion(words);
  if (version == slot->version()) return version;
  YQ_ASSIGN_OR_RETURN(auto seg, BuildSegmenter(data_dir_, words));
  slot->Set(std::move(seg), version);
  return version;
}

void Services::set_outbox_wake(std::function<void()> f) {
  std::lock_guard<std::mutex> lock(wake_mu_);
  outbox_wake_ = std::move(f);
}

void Services::WakeOutbox() {
  // Called under the lock, so the dispatcher it wakes cannot be cleared and destroyed meanwhile.
  std::lock_guard<std::mutex> lock(wake_mu_);
  if (outbox_wake_) outbox_wake_();
}

Result<std::shared_ptr<const forecast::CascadeModel>> Services::cascade_model() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!cascade_loaded_) {
    auto m = forecast::LoadCascadeModel(analysis::ResolveModelsDir() + "/cascade.json");
    if (m.ok()) {
      cascade_model_ = std::make_shared<const forecast::CascadeModel>(std::move(m).value());
    } else if (m.status().code() != Code::kNotFound) {
      return m.status();
    }
    cascade_loaded_ = true;
  }
  return cascade_model_;
}

Result<std::unique_ptr<store::Database>> Services::OpenDatabase() const {
  return store::Database::Open(db_path());
}

}  // namespace yuqing::app
