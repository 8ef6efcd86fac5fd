// The landing page: the three capabilities in one screen, each linking to its
// docs page once that page exists (and to the Capabilities overview until then).
import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { useAllDocsData } from '@docusaurus/plugin-content-docs/client';
import Layout from '@theme/Layout';
import CodeBlock from '@theme/CodeBlock';
import { usePluginData } from '@docusaurus/useGlobalData';
import type { LandingExample } from '../../plugins/landing-example';
import Heading from '@theme/Heading';
import styles from './index.module.css';

interface Capability {
  name: string;
  docId: string;
  summary: string;
  points: string[];
}

const capabilities: Capability[] = [
  {
    name: 'call',
    docId: 'capabilities/call',
    summary: 'Ask another Durable Object or Worker for something without awaiting it.',
    points: [
      'Synchronous call site; the result or the Error arrives later in a method of yours',
      'Type-checked end to end: your continuation must accept both',
      'One plain Workers RPC: no queue, no storage write',
    ],
  },
  {
    name: 'alarms',
    docId: 'capabilities/alarms',
    summary: 'Any number of schedules on a Durable Object’s single alarm.',
    points: [
      'A delay, a Date or a cron expression',
      'Kept in the object’s own SQLite, multiplexed onto one platform alarm',
      'Synchronous schedule(), atomic cancelSchedule()',
    ],
  },
  {
    name: 'proxy-fetch',
    docId: 'capabilities/proxy-fetch',
    summary: 'Let a Worker wait on slow APIs so the Durable Object is not billed for it.',
    points: [
      'The Worker does the fetch and the waiting',
      'The Response, or the Error, comes back to a continuation',
      'Rich values survive the trip through structured-clone',
    ],
  },
];

function useDocPath(docId: string, fallback: string): string {
  const docs = useAllDocsData().default?.versions[0]?.docs ?? [];
  return docs.find((doc) => doc.id === docId)?.path ?? fallback;
}

function CapabilityCard({ capability }: { capability: Capability }): ReactNode {
  const to = useDocPath(capability.docId, '/docs/capabilities');
  return (
    <Link to={to} className={styles.card}>
      <Heading as="h2" className={styles.cardTitle}>
        <code>{capability.name}</code>
      </Heading>
      <p className={styles.cardSummary}>{capability.summary}</p>
      <ul className={styles.cardPoints}>
        {capability.points.map((point) => (
          <li key={point}>{point}</li>
        ))}
      </ul>
    </Link>
  );
}

/** The call example, read at build time from the file website/landing-example.json names (tested in test/call). */
function LandingCode(): ReactNode {
  const example = usePluginData('lumenize-landing-example') as LandingExample;
  return (
    <section className={styles.example} aria-label="Example">
      <Heading as="h2">A call, with its answer arriving later</Heading>
      <CodeBlock language="ts" title={example.file}>
        {example.code}
      </CodeBlock>
      <p>
        Run it from a checkout of this repository: <code>npm install &amp;&amp; npm start</code>, then open{' '}
        <code>http://localhost:8787/call/user/ada/visit</code> and{' '}
        <code>http://localhost:8787/call/user/ada/log</code>. In your own Worker, see{' '}
        <Link to="/docs/own-worker">Use it in your own Worker</Link>.
      </p>
    </section>
  );
}

export default function Home(): ReactNode {
  const { siteConfig } = useDocusaurusContext();
  return (
    <Layout title="Durable Objects, continued" description={siteConfig.tagline}>
      <header className={styles.hero}>
        <div className="container">
          <Heading as="h1" className={styles.title}>
            {siteConfig.title}
          </Heading>
          <p className={styles.tagline}>{siteConfig.tagline}</p>
          <div className={styles.install}>
            <CodeBlock language="bash">npm install lumenize-do</CodeBlock>
          </div>
          <div className={styles.buttons}>
            <Link className="button button--primary button--lg" to="/docs/getting-started">
              Get started
            </Link>
            <Link className="button button--secondary button--outline button--lg" to="/docs/intro">
              Why Lumenize
            </Link>
          </div>
        </div>
      </header>
      <main className="container">
        <section className={styles.cards} aria-label="Capabilities">
          {capabilities.map((capability) => (
            <CapabilityCard key={capability.name} capability={capability} />
          ))}
        </section>
        <LandingCode />
        <p className={styles.foundations}>
          All three are built on the same <Link to="/docs/foundations">foundations</Link>: a
          structured-clone that keeps Maps, Dates, cycles and Error subclasses intact, typed
          operation chains (continuations) that are plain data, and the base classes{' '}
          <code>LumenizeBase</code>, <code>LumenizeWorker</code> and <code>LumenizeRpcTarget</code>.
        </p>
      </main>
    </Layout>
  );
}
