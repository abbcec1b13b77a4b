// `goap check`'s warning about secrets written into goap files.
//
// World, actions, goals and sensors files are shared: kept in git, copied into backups, shown by
// `goap check`, read by everyone who operates the fleet. A provider token or a private key
// belongs in a file only goap's user can read (named by a `*_file` parameter or an object's
// attribute) or in goap's environment, never in a YAML value. `warn_secret_literals` looks at
// every scalar value of the files a check read and warns (never errors: a false alarm must not
// stop a check) at the value's file:line:col when
//   - its key names a secret (the last word of the key is token, password, passwd, passphrase,
//     secret, credential(s) or apikey, or the key ends in api_key, access_key, secret_key or
//     private_key) and the value is a literal: not empty, no `${...}` template, not a path
//     (/, ./, ../, ~/), not a number, boolean or null;
//   - or, under any key, the value holds a known token format (DigitalOcean dop_v1_, GitHub
//     ghp_/gho_/ghu_/ghs_/ghr_/github_pat_, GitLab glpat-, Slack xox?-, AWS AKIA..., Tailscale
//     tskey-, a JSON web token, a PEM "-----BEGIN ... PRIVATE KEY-----");
//   - or, under any key, it is a long random-looking word (32+ characters of letters, digits
//     and + / _ = -, mixed case and digits, more than 4.3 bits of entropy a character).
// Keys that name facts, types or parameters (under facts:, types:, params:, forall:) are names,
// not secrets, and are not read. The warning never quotes the value or its line.
#pragma once

#include <cstdint>

#include "core/diag.h"

namespace goap::load {

// Warns about the files [first_file, sm.size()) of `sm` that are goap files (quoted in
// diagnostics); files that are not valid YAML are skipped (their errors are reported elsewhere).
void warn_secret_literals(const core::SourceManager& sm, std::uint32_t first_file, core::Diagnostics& diags);

}  // namespace goap::load
