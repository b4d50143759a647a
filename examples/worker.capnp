# workerd's config for examples/worker.ts (with wrangler, use wrangler.toml instead).
# workerd runs one bundled module, so bundle the worker first, as wrangler would,
# into a folder with a copy of this file:
#   npx esbuild examples/worker.ts --bundle --format=esm --platform=browser \
#     --conditions=workerd,worker,browser --external:'node:*' --external:crypto \
#     --external:util --outfile=build/worker.js
#   cp examples/worker.capnp build/ && SESSION_KEYS=... workerd serve build/worker.capnp
# (--platform=browser picks the browser build of `debug`; its Node.js build
# calls require("tty"), which a Worker module cannot.)
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:3000", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  # node:crypto in full (createHmac, createCipheriv('aes-256-gcm'), hkdfSync) needs
  # nodejs_compat; this date is the earliest the package is tested with.
  compatibilityDate = "2025-04-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [
    (name = "SESSION_KEYS", fromEnvironment = "SESSION_KEYS"),
    (name = "SESSION_MODE", fromEnvironment = "SESSION_MODE"),
    (name = "SESSION_ACCEPT_SIGNED_KEYS", fromEnvironment = "SESSION_ACCEPT_SIGNED_KEYS"),
  ],
);
