//! `taskgen lsp`: a language server over stdio that knows the expanded graph. Every edit
//! re-runs lint over the editor's buffers (every branch, every trigger) and keeps the graphs,
//! so that hover, go to definition, completion and code lenses answer from what the tree
//! really generates. docs/editors.md says how to set an editor up.

pub mod analysis;
mod completion;
mod cursor;
mod definition;
pub mod diagnostics;
mod hover;
mod lens;
pub mod protocol;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crossbeam_channel::TryRecvError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use serde_json::{Value, json};

use self::analysis::World;
use self::protocol::{Encoding, path_uri, uri_path};
use crate::load::{FileId, Overlay};

/// Serves one client on stdin and stdout until it says `exit`. `fallback` is the root used
/// when the client's workspace holds no definitions tree.
pub fn serve(fallback: Option<PathBuf>) -> Result<(), String> {
    let (conn, io) = Connection::stdio();
    let (id, init) = conn.initialize_start().map_err(|e| e.to_string())?;
    let enc = Encoding::negotiate(&init);
    let root = workspace_root(&init).or(fallback);
    let capabilities = json!({
        "positionEncoding": enc.name(),
        "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}},
        "hoverProvider": true,
        "definitionProvider": true,
        "completionProvider": {"triggerCharacters": [".", ":", " ", "\""]},
        "codeLensProvider": {"resolveProvider": false},
    });
    let info = json!({
        "capabilities": capabilities,
        "serverInfo": {"name": "taskgen", "version": env!("CARGO_PKG_VERSION")},
    });
    conn.initialize_finish(id, info)
        .map_err(|e| e.to_string())?;
    let watch = init["capabilities"]["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"]
        .as_bool()
        .unwrap_or(false);
    let mut server = Server {
        conn,
        root,
        enc,
        buffers: Overlay::new(),
        world: None,
        published: BTreeSet::new(),
    };
    if watch {
        server.watch_files()?;
    }
    server.run()?;
    drop(server);
    io.join().map_err(|e| e.to_string())
}

/// The definitions root of the client's workspace: its root URI, or first folder, or the
/// nearest directory above it holding `taskgraph/config.yml`.
fn workspace_root(init: &Value) -> Option<PathBuf> {
    let uri = init["rootUri"]
        .as_str()
        .or_else(|| init["workspaceFolders"][0]["uri"].as_str())?;
    crate::load::find_root(&uri_path(uri)?)
}

struct Server {
    conn: Connection,
    root: Option<PathBuf>,
    enc: Encoding,
    /// The open documents under the root, by path relative to it.
    buffers: Overlay,
    /// The last analysis whose tree loaded and generated: what features answer from while a
    /// file is broken.
    world: Option<World>,
    /// Files that have diagnostics on the client, to clear when they have none.
    published: BTreeSet<String>,
}

impl Server {
    fn run(&mut self) -> Result<(), String> {
        if self.root.is_none() {
            self.notify(
                "window/showMessage",
                json!({"type": 1, "message": "taskgen: no definitions tree (taskgraph/config.yml) in this workspace or above it"}),
            )?;
        }
        self.refresh()?;
        // Edits that arrive together are analyzed once: the tree is re-linted only when no
        // message is waiting, or before a request is answered.
        let mut dirty = false;
        loop {
            let msg = if dirty {
                match self.conn.receiver.try_recv() {
                    Ok(msg) => msg,
                    Err(TryRecvError::Empty) => {
                        self.refresh()?;
                        dirty = false;
                        continue;
                    }
                    Err(TryRecvError::Disconnected) => return Ok(()),
                }
            } else {
                match self.conn.receiver.recv() {
                    Ok(msg) => msg,
                    Err(_) => return Ok(()),
                }
            };
            match msg {
                Message::Request(req) => {
                    if self.conn.handle_shutdown(&req).map_err(|e| e.to_string())? {
                        return Ok(());
                    }
                    if dirty {
                        self.refresh()?;
                        dirty = false;
                    }
                    let response = self.answer(req);
                    self.send(Message::Response(response))?;
                }
                Message::Notification(n) if n.method == "exit" => return Ok(()),
                Message::Notification(n) => dirty |= self.changed(&n),
                Message::Response(_) => {}
            }
        }
    }

    /// Asks the client to say when a definitions file changes on disk (a checkout, a pull),
    /// so that files that are not open are read again.
    fn watch_files(&self) -> Result<(), String> {
        let watchers: Vec<Value> = ["**/taskgraph/**/*.yml", "**/branches/*.yml"]
            .iter()
            .map(|glob| json!({"globPattern": glob}))
            .collect();
        let registration = json!({"registrations": [{
            "id": "taskgen-definitions",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": {"watchers": watchers},
        }]});
        let request = Request::new(
            "taskgen-watch".to_owned().into(),
            "client/registerCapability".to_owned(),
            registration,
        );
        self.send(Message::Request(request))
    }

    fn send(&self, msg: Message) -> Result<(), String> {
        self.conn.sender.send(msg).map_err(|e| e.to_string())
    }

    fn notify(&self, method: &str, params: Value) -> Result<(), String> {
        self.send(Message::Notification(Notification::new(
            method.to_owned(),
            params,
        )))
    }

    /// Takes in a document notification; says whether the tree must be analyzed again.
    fn changed(&mut self, n: &Notification) -> bool {
        let doc = &n.params["textDocument"];
        let rel = doc["uri"].as_str().and_then(|u| self.relative(u));
        match (n.method.as_str(), rel) {
            ("textDocument/didOpen", Some(rel)) => {
                let text = doc["text"].as_str().unwrap_or_default().to_owned();
                self.buffers.insert(rel, text);
                true
            }
            ("textDocument/didChange", Some(rel)) => {
                // Full sync: the last change holds the whole text.
                let changes = n.params["contentChanges"].as_array();
                match changes
                    .and_then(|c| c.last())
                    .and_then(|c| c["text"].as_str())
                {
                    Some(text) => {
                        self.buffers.insert(rel, text.to_owned());
                        true
                    }
                    None => false,
                }
            }
            ("textDocument/didClose", Some(rel)) => self.buffers.remove(&rel).is_some(),
            ("textDocument/didSave", Some(_)) | ("workspace/didChangeWatchedFiles", _) => true,
            _ => false,
        }
    }

    /// A document's path relative to the root, when it is inside it.
    fn relative(&self, uri: &str) -> Option<String> {
        let root = self.root.as_ref()?;
        let path = uri_path(uri)?;
        let rel = path
            .strip_prefix(root)
            .ok()
            .map(Path::to_path_buf)
            .or_else(|| {
                let (path, root) = (path.canonicalize().ok()?, root.canonicalize().ok()?);
                path.strip_prefix(root).ok().map(Path::to_path_buf)
            })?;
        rel.to_str().map(str::to_owned)
    }

    /// Lints the tree as the buffers have it, and publishes what changed.
    fn refresh(&mut self) -> Result<(), String> {
        let Some(root) = self.root.clone() else {
            return Ok(());
        };
        // A bug in taskgen must not take the editor's server down with it: the panic is
        // said, and the next edit is analyzed afresh.
        let run = || analysis::analyze(&root, &self.buffers, self.enc);
        let analysis = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
            Ok(analysis) => analysis,
            Err(_) => {
                let message = "taskgen lsp: analyzing the tree failed (a bug: please report it with the tree); the server goes on";
                return self.notify("window/showMessage", json!({"type": 1, "message": message}));
            }
        };
        let now: BTreeSet<String> = analysis.diagnostics.keys().cloned().collect();
        for rel in self.published.difference(&now) {
            let uri = path_uri(&root.join(rel));
            self.notify(
                "textDocument/publishDiagnostics",
                json!({"uri": uri, "diagnostics": []}),
            )?;
        }
        for (rel, list) in analysis.diagnostics {
            let uri = path_uri(&root.join(&rel));
            self.notify(
                "textDocument/publishDiagnostics",
                json!({"uri": uri, "diagnostics": list}),
            )?;
        }
        self.published = now;
        // A tree that loaded but generated nothing (a template that no longer renders) would
        // leave features with nothing to say: they keep the last graphs until it generates.
        let generated = |w: &Option<World>| w.as_ref().is_some_and(|w| !w.graphs.is_empty());
        if generated(&analysis.world) || (analysis.world.is_some() && !generated(&self.world)) {
            // Freeing the old graphs takes a while (up to 20 ms on the built-in tree): another
            // thread does it, while this one reads the next message.
            let old = std::mem::replace(&mut self.world, analysis.world);
            std::thread::spawn(move || drop(old));
        }
        Ok(())
    }

    fn answer(&self, req: Request) -> Response {
        let result = match req.method.as_str() {
            "textDocument/hover" => self.hover(&req.params),
            "textDocument/definition" => self.definition(&req.params),
            "textDocument/completion" => self.completion(&req.params),
            "textDocument/codeLens" => self.code_lens(&req.params),
            method => {
                return Response::new_err(
                    req.id,
                    ErrorCode::MethodNotFound as i32,
                    format!("taskgen lsp does not answer `{method}`"),
                );
            }
        };
        Response::new_ok(req.id, result)
    }

    /// The world, and the file and byte offset a request's position names in it.
    fn locate(&self, params: &Value) -> Option<(&World, FileId, usize)> {
        let world = self.world.as_ref()?;
        let rel = self.relative(params["textDocument"]["uri"].as_str()?)?;
        let file = world.file(&rel)?;
        let offset = protocol::offset(
            &world.sources.file(file).text,
            &params["position"],
            self.enc,
        );
        Some((world, file, offset))
    }

    fn hover(&self, params: &Value) -> Value {
        let Some((world, file, offset)) = self.locate(params) else {
            return Value::Null;
        };
        match cursor::at(world, file, offset) {
            Some(target) => json!({
                "contents": {"kind": "markdown", "value": hover::markdown(world, &target)},
            }),
            None => Value::Null,
        }
    }

    fn definition(&self, params: &Value) -> Value {
        let Some((world, file, offset)) = self.locate(params) else {
            return Value::Null;
        };
        let Some(target) = cursor::at(world, file, offset) else {
            return Value::Null;
        };
        let locations: Vec<Value> = definition::spans(world, &target)
            .into_iter()
            .map(|span| {
                let source = world.sources.file(span.file);
                json!({
                    "uri": path_uri(&world.root.join(&source.path)),
                    "range": protocol::range(source, span, self.enc),
                })
            })
            .collect();
        Value::Array(locations)
    }

    fn completion(&self, params: &Value) -> Value {
        let (Some(world), Some(rel)) = (
            self.world.as_ref(),
            params["textDocument"]["uri"]
                .as_str()
                .and_then(|u| self.relative(u)),
        ) else {
            return Value::Null;
        };
        // The buffer as typed, which may not have loaded.
        let text = match self.buffers.get(&rel) {
            Some(text) => text.as_str(),
            None => match world.file(&rel) {
                Some(file) => &world.sources.file(file).text,
                None => return Value::Null,
            },
        };
        let offset = protocol::offset(text, &params["position"], self.enc);
        match completion::context(&rel, text, offset) {
            Some(context) => completion::list(world, &context, completion::typed(text, offset)),
            None => Value::Null,
        }
    }

    fn code_lens(&self, params: &Value) -> Value {
        let world = self.world.as_ref();
        let rel = params["textDocument"]["uri"]
            .as_str()
            .and_then(|u| self.relative(u));
        match (world, rel) {
            (Some(world), Some(rel)) => match world.file(&rel) {
                Some(file) => Value::Array(lens::lenses(world, file, self.enc)),
                None => Value::Array(Vec::new()),
            },
            _ => Value::Null,
        }
    }
}
