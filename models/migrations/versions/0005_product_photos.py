"""product photos: one row per picture (file under MEDIA_DIR, named by content hash) and Telegram file ids per bot

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-04 14:00:00

Products.photo (a Telegram file id typed into the catalogue file) stays as it was: a legacy picture, shown only
while a product has no stored photo. Its bytes were never on this server, so there is nothing to migrate.
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('product_photos',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=80), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_photos_product_id_products'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_photos')),
    sa.UniqueConstraint('product_id', 'content_hash', name='uq_product_photos_product_hash')
    )
    with op.batch_alter_table('product_photos', schema=None) as batch_op:
        batch_op.create_index('ix_product_photos_product_position', ['product_id', 'position'], unique=False)

    op.create_table('photo_file_ids',
    sa.Column('photo_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('bot_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('file_id', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['photo_id'], ['product_photos.id'],
                            name=op.f('fk_photo_file_ids_photo_id_product_photos'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('photo_id', 'bot_id', name=op.f('pk_photo_file_ids'))
    )


def downgrade() -> None:
    op.drop_table('photo_file_ids')
    with op.batch_alter_table('product_photos', schema=None) as batch_op:
        batch_op.drop_index('ix_product_photos_product_position')
    op.drop_table('product_photos')
