// Opening the series store on the session's backend.
#include "store/series_store.h"

#include "store/open_on.h"

namespace yuqing::store {

Result<std::unique_ptr<SeriesStore>> SeriesStore::Open(Database& db) {
  return OpenOn<SeriesStore>(db, sqlite::OpenSeriesStore, postgres::OpenSeriesStore);
}

}  // namespace yuqing::store
