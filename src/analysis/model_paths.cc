#include "analysis/model_paths.h"

#include <cstdlib>

namespace yuqing::analysis {

std::string ResolveModelsDir(const std::string& explicit_dir) {
  if (!explicit_dir.empty()) return explicit_dir;
  if (const char* e = std::getenv("YUQING_MODELS_DIR"); e && *e) return e;
  return std::string(YUQING_SOURCE_DIR) + "/models";
}

std::string DefaultTrainDataDir() {
  if (const char* e = std::getenv("YUQING_TRAIN_DATA"); e && *e) return e;
  return std::string(YUQING_SOURCE_DIR) + "/../shared/data";
}

}  // namespace yuqing::analysis
