//! `arshif serve`: build into memory, serve it under the base URL's path,
//! watch the site's files, rebuild on change and reload the browser. The
//! user's `public/` is never touched.

pub mod server;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::RecursiveMode;
use tokio::sync::broadcast;

use crate::error::{Error, Result};
use crate::incremental::Incremental;
use crate::pipeline::BuildOptions;
use server::{AppState, Snapshot};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 lets the system choose a free port.
    pub port: u16,
}

/// What the preview reports as it runs; the command line prints it.
#[derive(Debug)]
pub enum ServeEvent<'a> {
    PortTaken {
        wanted: u16,
        using: u16,
    },
    NotLoopback(IpAddr),
    Listening {
        url: String,
    },
    /// `rendered` of the `pages` were rendered; the others had not changed.
    Rebuilt {
        articles: usize,
        pages: usize,
        rendered: usize,
        took: Duration,
    },
    Failed(&'a Error),
}

/// Where events go: the command line's printer.
pub type Reporter = Arc<dyn Fn(ServeEvent<'_>) + Send + Sync>;

/// The next snapshot: a rebuild of what changed, or after a failure the
/// last good site with the errors on top.
fn rebuild(
    site: &mut Incremental,
    opts: &BuildOptions,
    previous: &Snapshot,
    on_event: &Reporter,
) -> Snapshot {
    let started = Instant::now();
    match site.rebuild(opts) {
        Ok(r) => {
            on_event(ServeEvent::Rebuilt {
                articles: r.outcome.report.articles,
                pages: r.outcome.report.pages,
                rendered: r.outcome.report.rendered,
                took: started.elapsed(),
            });
            Snapshot {
                files: r.files,
                error: None,
                base_path: r.base_path,
            }
        }
        Err(e) => {
            on_event(ServeEvent::Failed(&e));
            Snapshot {
                files: Arc::clone(&previous.files),
                error: Some(error_text(&e)),
                base_path: previous.base_path.clone(),
            }
        }
    }
}

/// Runs until interrupted (Ctrl-C).
pub fn run(opts: ServeOptions, on_event: Reporter) -> Result<()> {
    let on_event = &on_event;
    let first = Snapshot {
        files: Arc::default(),
        error: None,
        base_path: "/".into(),
    };
    let mut site = Incremental::default();
    // After an edit the page reloads first; the search index follows.
    site.defer_search();
    let snapshot = rebuild(&mut site, &opts.build, &first, on_event);
    let base_path = snapshot.base_path.clone();
    let (reload, _) = broadcast::channel(16);
    let state = AppState {
        snapshot: Arc::new(RwLock::new(Arc::new(snapshot))),
        reload,
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Io {
            action: "cannot start",
            path: "the preview server".into(),
            source: e,
        })?;
    let listener = runtime.block_on(bind(opts.bind, opts.port, on_event))?;
    if !opts.bind.is_loopback() {
        on_event(ServeEvent::NotLoopback(opts.bind));
    }
    let addr = listener.local_addr().map_err(|e| Error::Io {
        action: "cannot bind",
        path: "the preview server".into(),
        source: e,
    })?;
    // Watch before announcing the address, so no edit made after it is missed.
    let _watcher = watch(&opts.build, site, state.clone(), on_event)?;
    on_event(ServeEvent::Listening {
        url: format!("http://{}{base_path}", display_addr(addr)),
    });
    let app = axum::Router::new()
        .fallback(server::handle)
        .with_state(state);
    runtime
        .block_on(async move {
            axum::serve(server::IdleTimeout::new(listener, server::IDLE), app)
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await
        })
        .map_err(|e| Error::Io {
            action: "cannot serve",
            path: "the preview server".into(),
            source: e,
        })
}

fn display_addr(addr: SocketAddr) -> String {
    match addr.ip() {
        ip if ip.is_unspecified() => format!("127.0.0.1:{}", addr.port()),
        _ => addr.to_string(),
    }
}

/// Binds `port`, or the next free one when it is taken.
async fn bind(ip: IpAddr, port: u16, on_event: &Reporter) -> Result<tokio::net::TcpListener> {
    let mut last = None;
    for candidate in (0..20).map(|i| port.saturating_add(i)) {
        match tokio::net::TcpListener::bind((ip, candidate)).await {
            Ok(l) => {
                if candidate != port {
                    on_event(ServeEvent::PortTaken {
                        wanted: port,
                        using: candidate,
                    });
                }
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port != 0 => last = Some(e),
            Err(e) => {
                return Err(Error::Io {
                    action: "cannot listen on",
                    path: format!("{ip}:{candidate}").into(),
                    source: e,
                });
            }
        }
    }
    Err(Error::Io {
        action: "cannot listen on",
        path: format!("{ip}:{port}").into(),
        source: last.unwrap_or_else(|| std::io::Error::other("no free port")),
    })
}

/// The errors of a failed build as `build` prints them, for the overlay.
fn error_text(e: &Error) -> String {
    match e {
        Error::Input(d) => d.to_string(),
        other => other.to_string(),
    }
}

/// Watches the site's folder and rebuilds on every change that matters,
/// on its own thread; the returned debouncer stops watching when dropped.
fn watch(
    opts: &BuildOptions,
    site: Incremental,
    state: AppState,
    on_event: &Reporter,
) -> Result<
    notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
> {
    let root = std::path::absolute(&opts.root).unwrap_or_else(|_| opts.root.clone());
    let (tx, rx) = mpsc::channel();
    let events = tx.clone();
    let handler = move |batch| {
        let _ = events.send(Message::Files(batch));
    };
    let mut debouncer =
        notify_debouncer_full::new_debouncer(Duration::from_millis(10), None, handler).map_err(
            |e| Error::Io {
                action: "cannot watch",
                path: root.clone(),
                source: std::io::Error::other(e),
            },
        )?;
    debouncer
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|e| Error::Io {
            action: "cannot watch",
            path: root.clone(),
            source: std::io::Error::other(e),
        })?;
    let opts = opts.clone();
    let on_event = Arc::clone(on_event);
    std::thread::spawn(move || rebuild_loop(&root, &opts, site, &state, (&tx, &rx), &on_event));
    Ok(debouncer)
}

/// What the rebuild loop waits for.
enum Message {
    Files(notify_debouncer_full::DebounceEventResult),
    /// A search index made in the background.
    Search(Result<crate::incremental::SearchDone>),
}

/// Makes the search index the last rebuild left to make, on its own
/// thread, unless one is being made: its result comes back as a message.
fn start_search(site: &Incremental, running: &mut bool, tx: &mpsc::Sender<Message>) {
    if *running {
        return;
    }
    if let Some(job) = site.search_job() {
        *running = true;
        let tx = tx.clone();
        std::thread::spawn(move || {
            let _ = tx.send(Message::Search(job.run()));
        });
    }
}

fn rebuild_loop(
    root: &Path,
    opts: &BuildOptions,
    mut site: Incremental,
    state: &AppState,
    (tx, rx): (&mpsc::Sender<Message>, &mpsc::Receiver<Message>),
    on_event: &Reporter,
) {
    use notify_debouncer_full::notify::EventKind;
    use notify_debouncer_full::notify::event::ModifyKind;
    // The changed files that matter, relative to the root; `None` when
    // the watcher lost track (then every file is looked at).
    let relevant = |batch: &notify_debouncer_full::DebounceEventResult| match batch {
        Ok(events) => Some(
            events
                .iter()
                // Reading files (our own build does) and touching metadata are not changes.
                .filter(|e| match e.kind {
                    EventKind::Create(_) | EventKind::Remove(_) => true,
                    EventKind::Modify(ModifyKind::Metadata(_)) => false,
                    EventKind::Modify(_) => true,
                    _ => false,
                })
                .flat_map(|e| e.paths.iter())
                .filter_map(|p| p.strip_prefix(root).ok())
                .filter(|p| watch::classify(p).is_some())
                .map(Path::to_path_buf)
                .collect::<Vec<_>>(),
        ),
        Err(_) => None,
    };
    let mut searching = false;
    let search_done = |site: &mut Incremental, done, searching: &mut bool| {
        *searching = false;
        match done {
            Ok(done) => {
                if let Some(files) = site.finish_search(done)
                    && let Ok(mut slot) = state.snapshot.write()
                {
                    let old = Arc::clone(&slot);
                    *slot = Arc::new(Snapshot {
                        files,
                        error: old.error.clone(),
                        base_path: old.base_path.clone(),
                    });
                }
            }
            Err(e) => {
                // Not tried again until the next edit: it would fail again.
                site.give_up_search();
                on_event(ServeEvent::Failed(&e));
            }
        }
    };
    while let Ok(message) = rx.recv() {
        let batch = match message {
            Message::Files(batch) => batch,
            Message::Search(done) => {
                search_done(&mut site, done, &mut searching);
                start_search(&site, &mut searching, tx);
                continue;
            }
        };
        let mut changed = relevant(&batch);
        // Take whatever else arrived meanwhile: one rebuild for a burst.
        while let Ok(more) = rx.try_recv() {
            match more {
                Message::Files(more) => {
                    changed = changed.zip(relevant(&more)).map(|(mut a, b)| {
                        a.extend(b);
                        a
                    });
                }
                Message::Search(done) => search_done(&mut site, done, &mut searching),
            }
        }
        match changed {
            Some(paths) if paths.is_empty() => continue,
            Some(paths) => site.hint(paths),
            None => {}
        }
        let previous = state
            .snapshot
            .read()
            .map(|s| Arc::clone(&s))
            .unwrap_or_default();
        let next = rebuild(&mut site, opts, &previous, on_event);
        if let Ok(mut slot) = state.snapshot.write() {
            *slot = Arc::new(next);
        }
        let _ = state.reload.send(());
        start_search(&site, &mut searching, tx);
    }
}
