// `goap schema`: print the JSON Schema of goap's YAML files (schemas/goap.schema.json, embedded
// at build time), for editors: yaml-language-server reads it through a modeline such as
// `# yaml-language-server: $schema=../schemas/goap.schema.json`.
#include <cstdio>

#include "cli/commands.h"
#include "cli/schema_json.h"

namespace goap::cli {

int run_schema() {
  std::fputs(kSchemaJson, stdout);
  return std::fflush(stdout) == 0 ? kOk : kInternal;
}

}  // namespace goap::cli
