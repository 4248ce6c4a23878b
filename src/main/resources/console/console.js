// The queue console: every figure and every action goes through the admin API (api/... here is passed to the API
// port's /api/admin/...), with the token given at sign-in, kept in this tab's session storage only.
'use strict';

const TOKEN_KEY = 'domain-automation-console-token';
const REFRESH_MS = 3000;
let token = sessionStorage.getItem(TOKEN_KEY);
let readOnly = true;
let refreshTimer = null;
let shownFailed = null;
let shownDelayed = null;

const $ = (id) => document.getElementById(id);

/** An element with attributes (class, data-*, ...) and children (text or nodes). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function button(label, cls, onClick) {
  const b = el('button', { type: 'button', class: cls + ' action' }, label);
  b.disabled = readOnly;
  b.addEventListener('click', onClick);
  return b;
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || ('HTTP ' + status));
    this.status = status;
  }
}

/** One admin API call; the answer's JSON, or an ApiError with the API's message. */
async function call(method, path, body) {
  const init = { method, headers: { Authorization: 'Bearer ' + token } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch('api/' + path, init);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = { message: text };
  }
  if (response.status === 401) {
    signOut('The token was refused: ' + ((data && data.message) || 'unauthorized'));
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

function say(text, isError) {
  const message = $('message');
  message.textContent = text;
  message.className = isError ? 'error' : '';
}

/** Runs an action and says how it went; panels are refreshed after it. */
async function act(what, action) {
  try {
    const answer = await action();
    say(what + ': done' + (answer && answer.retried !== undefined ? ' (' + answer.retried + ' retried)' : ''));
  } catch (e) {
    say(what + ': ' + e.message, true);
  }
  await refreshAll();
}

function time(iso) {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

function pre(value) {
  return el('pre', {}, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

/** A bar per minute of the last hour. */
function sparkline(counts) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const max = Math.max(1, ...counts);
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', '180');
  svg.setAttribute('height', '24');
  svg.setAttribute('role', 'img');
  counts.forEach((count, i) => {
    const rect = document.createElementNS(ns, 'rect');
    const height = count === 0 ? 0 : Math.max(1, Math.round((count / max) * 24));
    rect.setAttribute('x', String(i * 3));
    rect.setAttribute('y', String(24 - height));
    rect.setAttribute('width', '2');
    rect.setAttribute('height', String(height));
    svg.append(rect);
  });
  const label = document.createElementNS(ns, 'title');
  label.textContent = counts.reduce((a, b) => a + b, 0) + ' completed in the last hour';
  svg.append(label);
  return svg;
}

async function refreshQueues() {
  const queues = await call('GET', 'queues');
  const rows = queues.map((q) => {
    const q_ = encodeURIComponent(q.queue);
    return el('tr', { 'data-queue': q.queue },
      el('td', { class: 'name' }, q.queue),
      el('td', { class: 'paused' + (q.paused ? ' state-paused' : '') }, q.paused ? 'paused' : 'running'),
      el('td', { class: 'number waiting' }, q.waiting),
      el('td', { class: 'number active' }, q.active),
      el('td', { class: 'number delayed' }, q.delayed),
      el('td', { class: 'number failed' }, q.failed),
      el('td', { class: 'number completed' }, q.completed),
      el('td', { class: 'throughput' }, sparkline(q.completedPerMinute || [])),
      el('td', {},
        q.paused
          ? button('Resume', 'resume', () => act('Resume ' + q.queue, () => call('POST', 'queues/' + q_ + '/resume')))
          : button('Pause', 'pause', () => act('Pause ' + q.queue, () => call('POST', 'queues/' + q_ + '/pause'))),
        showButton('Failed', 'show-failed', () => showFailed(q.queue)),
        showButton('Delayed', 'show-delayed', () => showDelayed(q.queue))));
  });
  $('queues').tBodies[0].replaceChildren(...rows);
}

function showButton(label, cls, onClick) {
  const b = el('button', { type: 'button', class: cls }, label);
  b.addEventListener('click', onClick);
  return b;
}

async function showFailed(queue) {
  shownFailed = queue;
  $('failed').hidden = false;
  $('failed-queue').textContent = queue;
  await refreshFailed();
}

async function refreshFailed() {
  if (!shownFailed) return;
  const queue = encodeURIComponent(shownFailed);
  const jobs = await call('GET', 'queues/' + queue + '/failed');
  $('failed-jobs').replaceChildren(...jobs.map((job) => {
    const select = el('input', { type: 'checkbox', class: 'select', 'aria-label': 'select ' + job.id });
    select.disabled = readOnly;
    return el('tr', { 'data-job': job.id },
      el('td', {}, select),
      el('td', { class: 'id' }, job.id),
      el('td', { class: 'error' }, job.error),
      el('td', { class: 'number attempts' }, job.attempts),
      el('td', {}, job.failedAt ? time(new Date(job.failedAt).toISOString()) : ''),
      el('td', {}, el('details', {}, el('summary', {}, 'show'), pre({ history: job.history, payload: job.body }))),
      el('td', {},
        button('Retry', 'retry', () => act('Retry ' + job.id,
          () => call('POST', 'queues/' + queue + '/failed/' + encodeURIComponent(job.id) + '/retry'))),
        button('Delete', 'delete', () => act('Delete ' + job.id,
          () => call('DELETE', 'queues/' + queue + '/failed/' + encodeURIComponent(job.id))))));
  }));
}

async function showDelayed(queue) {
  shownDelayed = queue;
  $('delayed').hidden = false;
  $('delayed-queue').textContent = queue;
  await refreshDelayed();
}

async function refreshDelayed() {
  if (!shownDelayed) return;
  const queue = encodeURIComponent(shownDelayed);
  const jobs = await call('GET', 'queues/' + queue + '/delayed');
  $('delayed-jobs').replaceChildren(...jobs.map((job) => el('tr', { 'data-job': job.id },
    el('td', { class: 'id' }, job.id),
    el('td', {}, time(job.runsAt)),
    el('td', { class: 'number' }, job.attempt),
    el('td', {}, el('details', {}, el('summary', {}, 'show'), pre(job.body))),
    el('td', {}, button('Run now', 'promote', () => act('Run ' + job.id + ' now',
      () => call('POST', 'queues/' + queue + '/delayed/' + encodeURIComponent(job.id) + '/promote')))))));
}

async function search(event) {
  if (event) event.preventDefault();
  const by = $('search-by').value;
  const value = $('search-value').value.trim();
  if (!value) return;
  try {
    const jobs = await call('GET', 'jobs?' + by + '=' + encodeURIComponent(value));
    $('search-results').replaceChildren(...jobs.map((job) => el('tr', { 'data-job': job.id, 'data-queue': job.queue },
      el('td', { class: 'queue' }, job.queue),
      el('td', { class: 'id' }, job.id),
      el('td', { class: 'state state-' + job.state }, job.state),
      el('td', { class: 'number' }, job.attempts),
      el('td', { class: 'error' }, job.error),
      el('td', {}, time(job.enqueuedAt)),
      el('td', {}, time(job.finishedAt)),
      el('td', {}, Object.entries(job.about || {}).map(([k, v]) => k + ': ' + v).join(', ')))));
    $('search-summary').textContent = jobs.length + ' job(s) about ' + by + ' ' + value;
  } catch (e) {
    $('search-summary').textContent = '';
    say('Search: ' + e.message, true);
  }
}

async function refreshCrons() {
  const crons = await call('GET', 'cron');
  $('crons').tBodies[0].replaceChildren(...crons.map((cron) => {
    const last = cron.lastRun;
    const summary = last
      ? Object.entries(last).map(([k, v]) => k + ': ' + (typeof v === 'object' ? JSON.stringify(v) : v)).join(', ')
      : 'never ran';
    return el('tr', { 'data-cron': cron.name },
      el('td', { class: 'name' }, cron.name),
      el('td', {}, cron.enabled ? cron.schedule : 'off'),
      el('td', {}, time(cron.nextFireAt)),
      el('td', { class: 'last-run' }, (cron.running ? 'running now; ' : '') + summary),
      el('td', {}, button('Run now', 'run-now', () => act('Run ' + cron.name,
        () => call('POST', 'cron/' + encodeURIComponent(cron.name) + '/run')))));
  }));
}

async function refreshActivity(event) {
  if (event) event.preventDefault();
  const domain = $('activity-domain').value.trim();
  const entries = await call('GET', 'activity?limit=50' + (domain ? '&domain=' + encodeURIComponent(domain) : ''));
  $('activity').replaceChildren(...entries.map((entry) => el('tr', {},
    el('td', {}, time(entry.at)),
    el('td', { class: 'domain' }, entry.domain),
    el('td', {}, entry.action),
    el('td', { class: 'state-' + (entry.result === 'success' ? 'completed' : 'failed') }, entry.result),
    el('td', { class: 'error' }, entry.error),
    el('td', {}, entry.job))));
}

async function refreshAll() {
  try {
    await Promise.all([refreshQueues(), refreshFailed(), refreshDelayed()]);
    document.body.dataset.refreshed = String(Date.now());
  } catch (e) {
    say('Refresh: ' + e.message, true);
  }
}

async function signIn(event) {
  if (event) event.preventDefault();
  const given = $('token').value.trim();
  if (given) {
    token = given;
  }
  if (!token) return;
  try {
    const me = await call('GET', 'me');
    readOnly = me.readOnly;
  } catch (e) {
    $('login-error').textContent = e.message;
    $('login-error').hidden = false;
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $('token').value = '';
  $('login-error').hidden = true;
  $('login').hidden = true;
  $('app').hidden = false;
  $('who').hidden = false;
  $('role').textContent = readOnly ? 'viewer' : 'admin';
  document.body.classList.toggle('read-only', readOnly);
  for (const id of ['retry-selected', 'retry-all']) $(id).disabled = readOnly;
  await Promise.all([refreshAll(), refreshCrons(), refreshActivity()]).catch((e) => say(e.message, true));
  clearInterval(refreshTimer);
  refreshTimer = setInterval(() => {
    refreshAll();
    refreshCrons().catch((e) => say('Crons: ' + e.message, true));
  }, REFRESH_MS);
}

function signOut(why) {
  clearInterval(refreshTimer);
  sessionStorage.removeItem(TOKEN_KEY);
  token = null;
  $('app').hidden = true;
  $('who').hidden = true;
  $('login').hidden = false;
  if (why) {
    $('login-error').textContent = why;
    $('login-error').hidden = false;
  }
}

function selectedFailed() {
  return [...$('failed-jobs').querySelectorAll('input.select:checked')]
    .map((box) => box.closest('tr').dataset.job);
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut());
  $('search-form').addEventListener('submit', search);
  $('activity-form').addEventListener('submit', (e) => refreshActivity(e).catch((x) => say(x.message, true)));
  $('retry-selected').addEventListener('click', () => {
    const ids = selectedFailed();
    if (ids.length === 0) {
      say('Select the failed jobs to retry first', true);
      return;
    }
    act('Retry ' + ids.length + ' selected', () =>
      call('POST', 'queues/' + encodeURIComponent(shownFailed) + '/failed/retry', { ids }));
  });
  $('retry-all').addEventListener('click', () =>
    act('Retry all failed of ' + shownFailed, () =>
      call('POST', 'queues/' + encodeURIComponent(shownFailed) + '/failed/retry')));
  for (const close of document.querySelectorAll('button.close')) {
    close.addEventListener('click', () => {
      $(close.dataset.close).hidden = true;
      if (close.dataset.close === 'failed') shownFailed = null;
      else shownDelayed = null;
    });
  }
  if (token) signIn();
});
