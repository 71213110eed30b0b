#include "app/services.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "analysis/model_paths.h"

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

Result<std::shared_ptr<const text::Segmenter>> Services::segmenter() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!segmenter_) {
    YQ_ASSIGN_OR_RETURN(segmenter_, text::Segmenter::Create());
  }
  return segmenter_;
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
