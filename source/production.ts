import process from 'node:process';

/**
 * Runs React (under Ink) in its production build unless NODE_ENV says otherwise. React picks its build when it is
 * first loaded, so cli.tsx imports this before anything that loads React. The development build checks every
 * element and fibre as it renders: `npm run bench:review` measured keypresses about a third slower with it (issue 5).
 */
process.env.NODE_ENV ??= 'production';
