//! Work spread over the cores: independent pieces (the read model's shards, the trajectories
//! counted for the regional figures, the suppression's groups of grids) run on every core, each
//! thread taking every n-th piece.

/// How many threads to use for `items` pieces of work: the cores, at most one per piece.
pub fn cores(items: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items)
        .max(1)
}

/// Spreads `items`, numbered by their place, over `threads` threads (thread `t` takes items
/// `t`, `t + threads`, ...) and runs `f` once per thread on its share. One thread runs on the
/// caller's. Results come in thread order.
pub fn spread<T: Send, R: Send>(
    items: impl IntoIterator<Item = T>,
    threads: usize,
    f: impl Fn(Vec<(usize, T)>) -> R + Sync,
) -> Vec<R> {
    let threads = threads.max(1);
    let mut groups: Vec<Vec<(usize, T)>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, item) in items.into_iter().enumerate() {
        groups[i % threads].push((i, item));
    }
    if threads == 1 {
        return groups.into_iter().map(&f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .into_iter()
            .map(|group| scope.spawn(move || f(group)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("projection thread"))
            .collect()
    })
}
