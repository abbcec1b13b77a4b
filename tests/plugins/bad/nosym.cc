// A shared module that is not a goap plugin (no goap_plugin_invoke): goap must refuse it.
#include "plugin_api/goap_plugin.h"

extern "C" GOAP_PLUGIN_EXPORT uint32_t goap_plugin_api_version() noexcept { return GOAP_PLUGIN_API_VERSION; }
