/* The goap plugin ABI, version 1: the only contract between goap and a plugin.
 *
 * A plugin is a shared module named `goap-plugin-<name>.so` that exports three C symbols:
 *
 *   uint32_t                  goap_plugin_api_version(void);     must return GOAP_PLUGIN_API_VERSION
 *   const goap_plugin_info*   goap_plugin_describe(void);        static tables, valid while loaded
 *   int32_t                   goap_plugin_invoke(const goap_request*, goap_response*);
 *
 * Every entry point is noexcept: nothing may unwind across it (plugin.h's GOAP_PLUGIN wraps a
 * C++ body in a catch-all). Plain C types only, so a plugin can be built with another compiler or
 * standard library. Strings are UTF-8 and NUL-terminated; the host owns everything in a request
 * and the plugin owns everything in its info tables.
 *
 * What a plugin offers:
 *   - action kinds (goap_action_info): what `run: {plugin: NAME, with: {...}}` carries out; the
 *     action's name in the world selects the kind when the plugin has several, else the first.
 *   - sensors (goap_sensor_info): observations that return one fact value ("true", "3", "kimi").
 *   - both declare their `with:` parameters (name, type, default, doc); the host rejects unknown
 *     parameters, fills in defaults and checks required ones before calling the plugin, so the
 *     plugin always sees every declared parameter.
 *
 * Operations (goap_request.op):
 *   GOAP_OP_ACT       carry the action out; status GOAP_OK when it reports success.
 *   GOAP_OP_DESCRIBE  do nothing; emit ("command", text) for each command ACT would run (dry run).
 *   GOAP_OP_SENSE     observe; emit ("value", v) exactly once on success.
 *
 * The host runs every invoke in a child process, so a crash or a hang costs the plugin only its
 * own call. Logging goes through host->log (never to stdout/stderr directly).
 */
#ifndef GOAP_PLUGIN_API_GOAP_PLUGIN_H
#define GOAP_PLUGIN_API_GOAP_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GOAP_PLUGIN_API_VERSION 1u

/* Symbol names, for the host. */
#define GOAP_PLUGIN_SYM_VERSION "goap_plugin_api_version"
#define GOAP_PLUGIN_SYM_DESCRIBE "goap_plugin_describe"
#define GOAP_PLUGIN_SYM_INVOKE "goap_plugin_invoke"

#if defined(__GNUC__)
#define GOAP_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define GOAP_PLUGIN_EXPORT
#endif

#ifdef __cplusplus
#define GOAP_NOEXCEPT noexcept
#else
#define GOAP_NOEXCEPT
#endif

/* Status of an invoke. */
enum {
  GOAP_OK = 0,
  GOAP_FAILED = 1,        /* the action or observation failed (command exited non-zero, ...) */
  GOAP_TIMEOUT = 2,       /* its own timeout passed (the plugin killed what it started) */
  GOAP_BAD_REQUEST = 3,   /* a parameter value is unusable (e.g. "timeout: soon") */
  GOAP_UNSUPPORTED = 4    /* unknown kind or operation */
};

enum { GOAP_OP_ACT = 0, GOAP_OP_DESCRIBE = 1, GOAP_OP_SENSE = 2 };

enum { GOAP_LOG_TRACE = 0, GOAP_LOG_DEBUG = 1, GOAP_LOG_INFO = 2, GOAP_LOG_WARN = 3, GOAP_LOG_ERROR = 4 };

/* Parameter types (goap_param_info.type); the host checks values against them before invoking:
 *   "string"     one value                     "list"      a list of values (an argv)
 *   "duration"   "30s", "500ms", "2m", "1h"; a bare number is seconds
 *   "int"        an integer                    "int-list"  a list of integers, e.g. [0, 2]
 *   "bool"       true / false                  "url"       http://host[:port]/path
 * and, for values that stand where a program also reads options (argv_guard.h; none may start
 * with '-'; "" passes, meaning not given). A host that predates them passes them as strings:
 *   "user"       an ssh/POSIX user name        "host"      a host name, IPv4 or IPv6 literal
 *   "ref"        a git ref (check-ref-format)  "remote"    a git URL or path, no <helper>::   */
typedef struct goap_param_info {
  const char* name;
  const char* type;
  const char* default_value; /* NULL: required. For list types, items separated by '\n'. */
  const char* doc;
} goap_param_info;

typedef struct goap_action_info {
  const char* name;
  const char* doc;
  const goap_param_info* params;
  size_t param_count;
} goap_action_info;

typedef struct goap_sensor_info {
  const char* name;
  const char* doc;
  const char* value_type; /* "bool", "int" or "enum": what kind of fact it can observe */
  const goap_param_info* params;
  size_t param_count;
} goap_sensor_info;

typedef struct goap_plugin_info {
  uint32_t api_version; /* GOAP_PLUGIN_API_VERSION */
  const char* name;     /* matches `run: {plugin: NAME}` and the file name goap-plugin-NAME.so */
  const char* version;
  const char* doc;
  const goap_action_info* actions;
  size_t action_count;
  const goap_sensor_info* sensors;
  size_t sensor_count;
} goap_plugin_info;

/* One `with:` entry after templates are filled in: a value, or a list of values. */
typedef struct goap_param {
  const char* name;
  const char* const* items;
  size_t item_count;
  int32_t is_list;
} goap_param;

typedef struct goap_host {
  void* ctx;
  void (*log)(void* ctx, int32_t level, const char* message);
  void (*emit)(void* ctx, const char* key, const char* value);
} goap_host;

typedef struct goap_request {
  uint32_t struct_size; /* sizeof(goap_request) of the host: lets later versions grow the struct */
  int32_t op;           /* GOAP_OP_* */
  const char* kind;     /* action kind or sensor name */
  const char* action;   /* the world's action name (or the fact for a sensor), for messages */
  const goap_param* params;
  size_t param_count;
  const goap_host* host;
} goap_request;

#define GOAP_MESSAGE_CAPACITY 2048

typedef struct goap_response {
  int32_t status;                        /* GOAP_OK, ... (also the return value of invoke) */
  char message[GOAP_MESSAGE_CAPACITY];   /* one line for the operator; NUL-terminated */
} goap_response;

typedef uint32_t (*goap_plugin_api_version_fn)(void);
typedef const goap_plugin_info* (*goap_plugin_describe_fn)(void);
typedef int32_t (*goap_plugin_invoke_fn)(const goap_request*, goap_response*);

#ifdef __cplusplus
}
#endif

#endif /* GOAP_PLUGIN_API_GOAP_PLUGIN_H */
