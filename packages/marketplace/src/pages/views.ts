import view from '@fastify/view';
import type { FastifyInstance } from 'fastify';
import handlebars from 'handlebars';
import { join } from 'node:path';

/** Templates live beside src/ and dist/, so the same path works from tests and from the build. */
export const VIEWS_DIR = join(__dirname, '..', '..', 'views');

/**
 * Handlebars with a layout and partials. Templates are compiled once and cached (`production`),
 * from a private handlebars instance so apps built in one process share no global state.
 */
export async function registerViews(app: FastifyInstance): Promise<void> {
  await app.register(view, {
    engine: { handlebars: handlebars.create() },
    root: VIEWS_DIR,
    layout: 'layout.hbs',
    production: true,
    options: { partials: { nav: 'partials/nav.hbs', unavailable: 'partials/unavailable.hbs' } },
  });
}
