// A plugin built for another API version: goap must refuse it and say so.
#include "plugin_api/goap_plugin.h"

extern "C" GOAP_PLUGIN_EXPORT uint32_t goap_plugin_api_version() noexcept { return 99; }
extern "C" GOAP_PLUGIN_EXPORT const goap_plugin_info* goap_plugin_describe() noexcept { return nullptr; }
extern "C" GOAP_PLUGIN_EXPORT int32_t goap_plugin_invoke(const goap_request*, goap_response*) noexcept { return 0; }
