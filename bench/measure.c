/*
 * measure.c - run one command for scripts/bench and report its wall time and
 * peak memory, separating the main process from its children.
 *
 *   usage: measure OUT_FILE COMMAND [ARG...]
 *   build: cc -std=c11 -O2 -Wall -Wextra measure.c
 *
 * COMMAND runs with measure's stdin, stdout and stderr; measure exits with its
 * exit status (128 + N when killed by signal N).  When it has ended, one line
 * of five numbers goes to OUT_FILE:
 *
 *   WALL_S  PEAK_KIB  MAIN_KIB  CHILD_KIB  TREE_KIB
 *
 * WALL_S    wall-clock seconds from fork to the end (monotonic clock).
 * PEAK_KIB  ru_maxrss of wait4(): the largest peak resident set size of any
 *           ONE process of the tree - the command, or any descendant that was
 *           waited for (Linux keeps, per process, the maximum of its own peak
 *           and of its waited-for children's, so the value climbs the tree).
 *           It is exact, and it is what GNU time's %M prints.  It is not a sum:
 *           two workers of 100 MB running at once still give 100 MB.  A child
 *           forked without exec counts the parent's pages it still shares
 *           (copy-on-write) in its own RSS.
 * MAIN_KIB  the command's own peak RSS (VmHWM of /proc/PID/status), read
 *           every 20 ms: a peak in the last 20 ms of the run can be missed,
 *           and a command that ends within 20 ms is never read (0).
 *           When MAIN_KIB < PEAK_KIB, PEAK_KIB is a descendant's.
 * CHILD_KIB the largest VmHWM seen in any descendant process, read every
 *           200 ms: most short-lived children are never seen (a child that
 *           lives 10 ms is caught one time in twenty), so this is a lower
 *           bound; PEAK_KIB counts them all.
 * TREE_KIB  the largest sum of RSS over the command and its descendants at one
 *           sample (every 200 ms): the memory the tree held at once.  Pages
 *           shared by several processes (a forked worker's copy-on-write pages,
 *           shared libraries) count once per process, so this overstates.
 *
 * Descendants are found by reading the parent pid of every process in /proc
 * (/proc/PID/task/TID/children needs CONFIG_PROC_CHILDREN, which not every
 * kernel has); with about a hundred processes, all of it takes about 1 % of
 * one core.
 */
#define _DEFAULT_SOURCE /* wait4 */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SAMPLE_MS 20 /* the command's own peak is read this often, */
#define TREE_EVERY 10 /* the whole tree at every 10th sample (200 ms) */
#define MAX_PROCS 4096

static double now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* VmHWM and VmRSS of PID in KiB; false if it is gone (or a zombie). */
static int read_status (pid_t pid, long *hwm, long *rss)
{
    char path[64], line[256];
    snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
    FILE *f = fopen (path, "r");
    if (!f)
        return 0;
    int found = 0;
    while (fgets (line, sizeof line, f)) {
        if (!strncmp (line, "VmHWM:", 6))
            found += sscanf (line + 6, "%ld", hwm) == 1;
        else if (!strncmp (line, "VmRSS:", 6))
            found += sscanf (line + 6, "%ld", rss) == 1;
    }
    fclose (f);
    return found == 2;
}

/* The parent pid and the resident pages of PID from /proc/PID/stat. */
static int read_stat (pid_t pid, pid_t *ppid, long *rss_pages)
{
    char path[64], buf[1024];
    snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
    FILE *f = fopen (path, "r");
    if (!f)
        return 0;
    size_t n = fread (buf, 1, sizeof buf - 1, f);
    fclose (f);
    buf[n] = '\0';
    /* "pid (comm) state ppid ... rss(24th field)": comm may hold spaces and
     * parentheses, so the fields are counted from the last ')' */
    char *p = strrchr (buf, ')');
    int parent;
    if (!p || sscanf (p + 1, " %*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d "
                      "%*d %*d %*d %*u %*u %ld", &parent, rss_pages) != 2)
        return 0;
    *ppid = (pid_t) parent;
    return 1;
}

struct peaks {
    long main_hwm, child_hwm, tree_rss;
};

/* The command's own high-water mark: cheap, done at every sample. */
static void sample_main (pid_t root, struct peaks *pk)
{
    long hwm, rss;
    if (read_status (root, &hwm, &rss) && hwm > pk->main_hwm)
        pk->main_hwm = hwm;
}

/* The whole tree: every process's parent, then the descendants' memory. */
static void sample_tree (pid_t root, struct peaks *pk)
{
    static pid_t pids[MAX_PROCS], ppids[MAX_PROCS];
    static long rss[MAX_PROCS];
    static char in_tree[MAX_PROCS];
    int n = 0;
    DIR *d = opendir ("/proc");
    if (!d)
        return;
    for (struct dirent *e; (e = readdir (d)) && n < MAX_PROCS;) {
        char *end;
        long pid = strtol (e->d_name, &end, 10);
        if (*end || pid <= 0 || !read_stat ((pid_t) pid, &ppids[n], &rss[n]))
            continue;
        pids[n] = (pid_t) pid;
        in_tree[n] = pid == root;
        n++;
    }
    closedir (d);
    /* mark descendants: repeat until no process joins (trees are shallow) */
    for (int changed = 1; changed;) {
        changed = 0;
        for (int i = 0; i < n; i++) {
            if (in_tree[i])
                continue;
            for (int j = 0; j < n; j++)
                if (in_tree[j] && pids[j] == ppids[i]) {
                    in_tree[i] = changed = 1;
                    break;
                }
        }
    }
    long sum = 0, page_kib = sysconf (_SC_PAGESIZE) / 1024;
    for (int i = 0; i < n; i++) {
        if (!in_tree[i])
            continue;
        sum += rss[i] * page_kib;
        long hwm, now_rss;
        if (pids[i] != root && read_status (pids[i], &hwm, &now_rss) && hwm > pk->child_hwm)
            pk->child_hwm = hwm;
    }
    if (sum > pk->tree_rss)
        pk->tree_rss = sum;
}

int main (int argc, char **argv)
{
    if (argc < 3) {
        fprintf (stderr, "usage: measure OUT_FILE COMMAND [ARG...]\n");
        return 2;
    }
    FILE *out = fopen (argv[1], "we"); /* close-on-exec */
    if (!out) {
        fprintf (stderr, "measure: %s: %s\n", argv[1], strerror (errno));
        return 2;
    }
    /* SIGCHLD stays blocked and is waited for with a timeout between samples,
     * so that the end of the command is seen at once, not at the next sample */
    sigset_t chld, old;
    sigemptyset (&chld);
    sigaddset (&chld, SIGCHLD);
    sigprocmask (SIG_BLOCK, &chld, &old);
    double start = now ();
    pid_t pid = fork ();
    if (pid < 0) {
        perror ("measure: fork");
        return 2;
    }
    if (pid == 0) {
        sigprocmask (SIG_SETMASK, &old, NULL);
        execvp (argv[2], argv + 2);
        fprintf (stderr, "measure: %s: %s\n", argv[2], strerror (errno));
        _exit (127);
    }
    /* the command gets ^C; measure waits for it to end */
    signal (SIGINT, SIG_IGN);
    signal (SIGQUIT, SIG_IGN);

    struct peaks pk = { 0 };
    unsigned samples = 0;
    struct rusage ru;
    int status;
    const struct timespec pause = { 0, SAMPLE_MS * 1000000L };
    for (;;) {
        /* the first sample after SAMPLE_MS, when the command has been exec'd */
        sigtimedwait (&chld, NULL, &pause);
        pid_t r = wait4 (pid, &status, WNOHANG, &ru);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            perror ("measure: wait4");
            return 2;
        }
        sample_main (pid, &pk);
        if (samples++ % TREE_EVERY == 0)
            sample_tree (pid, &pk);
    }
    double wall = now () - start;
    fprintf (out, "%.3f %ld %ld %ld %ld\n", wall, ru.ru_maxrss, pk.main_hwm, pk.child_hwm,
             pk.tree_rss);
    if (fclose (out) != 0) {
        fprintf (stderr, "measure: %s: %s\n", argv[1], strerror (errno));
        return 2;
    }
    if (WIFSIGNALED (status))
        return 128 + WTERMSIG (status);
    return WEXITSTATUS (status);
}
