#!/usr/bin/python3
"""The Markdown table of a compare.py result: report_table.py benchmarks/results/load-<time>.json"""
import json
import sys

ROWS = [  # (row, our server, reference server, scenario)
    ('1 row, c=1', 'ours-1w-merging', 'reference-1w', '1 row, c=1'),
    ('1 row, c=16', 'ours-1w-merging', 'reference-1w', '1 row, c=16'),
    ('1 row, c=64', 'ours-1w-merging', 'reference-1w', '1 row, c=64'),
    ('100 rows, c=16', 'ours-1w-merging', 'reference-1w', '100 rows, c=16'),
    ('100 rows, c=16, `--input-matrix ndarray`', 'ours-1w-merging-ndarray', 'reference-1w', '100 rows, c=16'),
    ('merging off, 2 workers (reference 2w × 4t), 1 row, c=1', 'ours-2w-off', 'reference-2w', '1 row, c=1'),
    ('merging off, 2 workers (reference 2w × 4t), 1 row, c=64', 'ours-2w-off', 'reference-2w', '1 row, c=64'),
    ('bare `/healthcheck`, c=64', 'ours-1w-merging', 'reference-1w', 'healthcheck, c=64'),
]


def cell(result):
    text = '{:,.0f} req/s, p50 {:.2f} ms, p99 {:.2f} ms, CPU {:,.0f} µs/req'.format(
        result['rps'], result['p50_us'] / 1000, result['p99_us'] / 1000, result['cpu_us_per_request'])
    if 'main_cpu_us_per_request' in result:
        text += ' ({:,.0f} in the root process)'.format(result['main_cpu_us_per_request'])
    return text


def ratio(ours, reference):
    return '**{:.2f}×** req/s; p50 {:.2f}×, p99 {:.2f}×'.format(
        ours['rps'] / reference['rps'], ours['p50_us'] / max(1, reference['p50_us']),
        ours['p99_us'] / max(1, reference['p99_us']))


def markdown(report):
    servers = report['servers']
    lines = ['| scenario | odahu-pack | ODAHU reference | ratio (ours / reference) |', '|---|---:|---:|---:|']
    for row, ours_name, reference_name, scenario in ROWS:
        ours = servers.get(ours_name, {}).get('scenarios', {}).get(scenario)
        reference = servers.get(reference_name, {}).get('scenarios', {}).get(scenario)
        if ours and reference:
            lines.append('| %s | %s | %s | %s |' % (row, cell(ours), cell(reference), ratio(ours, reference)))
    cold = report.get('cold_start', {})
    for model in ('wine', 'simple'):
        if 'ours ' + model in cold:
            ours, reference = cold['ours ' + model], cold['reference ' + model]
            lines.append('| cold start, process → first prediction (%s, median) | %.2f s (CPU %.2f s) '
                         '| %.2f s (CPU %.2f s) | %.2f× |' % (
                             model, ours['median_s'], ours.get('median_cpu_s', 0), reference['median_s'],
                             reference.get('median_cpu_s', 0), ours['median_s'] / reference['median_s']))
    pss = not report.get('servers_together')  # else PSS would split pages with the other servers that were up

    def resident(memory, root):
        return '%.0f MiB%s: %s %.0f, workers %.0f' % (
            memory['rss_mib'], ' (%.0f)' % memory['pss_mib'] if pss else '', root, memory['main_rss_mib'],
            memory['children_rss_mib'])

    for ours_name, reference_name in (('ours-1w-merging', 'reference-1w'), ('ours-2w-off', 'reference-2w')):
        ours, reference = servers[ours_name]['memory'], servers[reference_name]['memory']
        ratios = '%.2f×' % (ours['rss_mib'] / reference['rss_mib'])
        if pss:
            ratios += ' (%.2f×)' % (ours['pss_mib'] / reference['pss_mib'])
        lines.append('| resident memory after the runs, %s vs %s: %s | %s | %s | %s |' % (
            ours_name, reference_name, 'RSS (PSS)' if pss else 'RSS', resident(ours, 'JVM'),
            resident(reference, 'master'), ratios))
    lines.append('')
    ours = servers['ours-1w-merging']['scenarios']
    lines.append('Single-row invoke at c=64 ran at %.0f%% of our bare /healthcheck throughput.' % (
        100 * ours['1 row, c=64']['rps'] / ours['healthcheck, c=64']['rps']))
    model = report.get('model_cpu_us_per_call', {}).get('wine 1 row')
    if model:
        off, two = servers['ours-2w-off']['scenarios'], servers['reference-2w']['scenarios']
        lines.append('The wine model alone: %.0f µs CPU per 1-row call. CPU per request beyond it, merging off: '
                     'c=1 ours %.0f µs vs reference %.0f µs; c=64 ours %.0f µs vs reference %.0f µs.' % (
                         model, off['1 row, c=1']['cpu_us_per_request'] - model,
                         two['1 row, c=1']['cpu_us_per_request'] - model,
                         off['1 row, c=64']['cpu_us_per_request'] - model,
                         two['1 row, c=64']['cpu_us_per_request'] - model))
    machine = report['machine']
    lines.append('Machine: %d CPUs, load average %s before and %s after (1, 5, 15 min).' % (
        machine['cpus'], machine.get('load_average_before'), machine.get('load_average_after')))
    nmt = servers['ours-1w-merging'].get('native_memory_kib')
    if nmt:
        top = sorted(nmt.items(), key=lambda item: -item[1])[:10]
        lines.append('JVM native memory tracking, committed: ' + ', '.join(
            '%s %.1f MiB' % (name, kib / 1024) for name, kib in top) + '.')
    return '\n'.join(lines)


if __name__ == '__main__':
    print(markdown(json.load(open(sys.argv[1]))))
