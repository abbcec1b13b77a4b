#include "cli/version.h"

#include <nlohmann/json.hpp>

#include "cli/goap_commit.h"
#include "cli/goap_version.h"
#include "plugin_api/goap_plugin.h"

namespace goap::cli {

std::string version_text() {
  return std::string("goap ") + GOAP_VERSION + "\nplugin API " + std::to_string(GOAP_PLUGIN_API_VERSION) + "\ncommit " +
         GOAP_GIT_COMMIT;
}

std::string version_json() {
  const nlohmann::ordered_json doc{{"format_version", 1}, {"version", GOAP_VERSION}, {"plugin_api", GOAP_PLUGIN_API_VERSION},
                                   {"commit", GOAP_GIT_COMMIT}};
  return doc.dump(2);
}

}  // namespace goap::cli
